package io.aibroker.connector.simulated;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * An append-only record of the calls a simulated provider received, one tab-separated line when a
 * call starts ({@code S <epoch ms> <requestId> <deployment>}) and one when it ends ({@code E <epoch
 * ms> <requestId> ok|error}). Each line is written straight to the file (no buffer in this
 * process), so a process killed with SIGKILL leaves every line it wrote: starts without an end are
 * the calls that were in flight when it died. Reliability tests count duplicate provider calls with
 * it.
 */
public final class CallLog implements AutoCloseable {

  /** One line of a call log. */
  public record Entry(boolean start, long epochMillis, String requestId, String detail) {}

  private final FileChannel channel;

  /** Opens {@code file} for appending, creating it and its directory if needed. */
  public CallLog(Path file) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      channel =
          FileChannel.open(
              file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
      endCutLine(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the call log " + file, e);
    }
  }

  /** Ends a last line a killed process left unfinished, so the next line starts cleanly. */
  private void endCutLine(Path file) throws IOException {
    long size = channel.size();
    if (size == 0) {
      return;
    }
    try (FileChannel reader = FileChannel.open(file, StandardOpenOption.READ)) {
      ByteBuffer last = ByteBuffer.allocate(1);
      reader.read(last, size - 1);
      if (last.get(0) != '\n') {
        write("\t!\n"); // an extra field: the reader skips the cut line
      }
    }
  }

  /** Records that a call for {@code requestId} to {@code deployment} starts now. */
  public void started(long epochMillis, String requestId, String deployment) {
    write("S\t" + epochMillis + "\t" + requestId + "\t" + deployment + "\n");
  }

  /** Records that the call for {@code requestId} ended. */
  public void ended(long epochMillis, String requestId, boolean ok) {
    write("E\t" + epochMillis + "\t" + requestId + "\t" + (ok ? "ok" : "error") + "\n");
  }

  private synchronized void write(String line) {
    if (!channel.isOpen()) {
      return; // closed: calls still finishing after close() are not recorded
    }
    ByteBuffer bytes = ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8));
    try {
      while (bytes.hasRemaining()) {
        channel.write(bytes);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the call log", e);
    }
  }

  /** Reads a call log; a last line cut short by a crash is skipped. */
  public static List<Entry> read(Path file) {
    List<Entry> entries = new ArrayList<>();
    try {
      String text = Files.readString(file, StandardCharsets.UTF_8);
      // Only lines ended by a newline are whole; a killed writer may have left the last one cut.
      String[] lines = text.split("\n", -1);
      for (int i = 0; i < lines.length - 1; i++) {
        String[] f = lines[i].split("\t", -1);
        if (f.length == 4 && (f[0].equals("S") || f[0].equals("E")) && !f[3].isEmpty()) {
          entries.add(new Entry(f[0].equals("S"), Long.parseLong(f[1]), f[2], f[3]));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the call log " + file, e);
    }
    return entries;
  }

  @Override
  public synchronized void close() {
    try {
      channel.close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot close the call log", e);
    }
  }
}
