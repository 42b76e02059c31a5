package io.aibroker.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The benchmark's scratch directory. Every run starts from an empty one (no Kafka data, Streams
 * state or topics left by an earlier run); a directory is only ever emptied if a bench run made it,
 * which a marker file inside says.
 */
final class WorkDir {

  static final String MARKER = ".aibroker-bench";

  private WorkDir() {}

  static void prepare(Path dir) throws IOException {
    if (Files.isDirectory(dir)) {
      boolean ours = Files.exists(dir.resolve(MARKER));
      try (Stream<Path> entries = Files.list(dir)) {
        if (!ours && entries.findAny().isPresent()) {
          throw new IllegalArgumentException(
              dir + " is not empty and was not made by aibroker bench; give another --work-dir");
        }
      }
      if (ours) {
        deleteContents(dir);
      }
    }
    Files.createDirectories(dir);
    Files.writeString(
        dir.resolve(MARKER), "scratch space of aibroker bench; emptied by each run\n");
  }

  private static void deleteContents(Path dir) throws IOException {
    try (Stream<Path> all = Files.walk(dir)) {
      all.sorted(Comparator.reverseOrder())
          .filter(p -> !p.equals(dir))
          .forEach(
              p -> {
                try {
                  Files.delete(p);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
    }
  }
}
