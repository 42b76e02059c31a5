package io.aibroker.connector.azureopenai;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a server-sent-event byte stream into the {@code data} payloads of its events, as the HTML
 * spec's event-stream parser does: lines end in LF, CRLF or CR; a blank line ends an event; several
 * {@code data:} lines of one event join with LF; comments and other fields are skipped. {@code
 * data: [DONE]} ends the stream.
 *
 * <p>Ours rather than the SDK's, which reads {@code ByteBuffer.array()} whole (ignoring position
 * and limit) and whose {@code cache()}d stream never cancels the HTTP exchange. Lines are decoded
 * only once complete, so a character split across buffers survives.
 *
 * <p>Not thread-safe: feed one stream's buffers in order, as a Reactor stream delivers them.
 */
final class SseDecoder {

  /** The payload that ends an OpenAI stream. */
  static final String DONE = "[DONE]";

  /** Longest line accepted; a stream that never ends its line is not an event stream. */
  static final int MAX_LINE_BYTES = 8 * 1024 * 1024;

  private ByteArrayOutputStream line = new ByteArrayOutputStream(256);
  private final List<String> dataLines = new ArrayList<>();
  private boolean lastWasCarriageReturn;
  private boolean done;

  /**
   * Takes the next bytes and returns the payloads of the events they complete, in order; events
   * after {@code [DONE]} are dropped.
   *
   * @throws io.aibroker.connector.ProviderServerException if a line exceeds {@link #MAX_LINE_BYTES}
   */
  List<String> feed(ByteBuffer buffer) {
    List<String> events = new ArrayList<>(2);
    ByteBuffer bytes = buffer.duplicate();
    while (bytes.hasRemaining()) {
      byte b = bytes.get();
      if (b == '\n' && lastWasCarriageReturn) {
        lastWasCarriageReturn = false;
        continue;
      }
      lastWasCarriageReturn = b == '\r';
      if (b == '\n' || b == '\r') {
        endLine(events);
      } else {
        if (line.size() >= MAX_LINE_BYTES) {
          throw Responses.malformed("event stream line longer than " + MAX_LINE_BYTES + " bytes");
        }
        line.write(b);
      }
    }
    return events;
  }

  /**
   * The payload of an event whose lines all arrived but whose closing blank line did not, if any;
   * call when the stream has ended. A line cut off midway is dropped.
   */
  List<String> finish() {
    List<String> events = new ArrayList<>(1);
    if (!done && !dataLines.isEmpty()) {
      dispatch(events);
    }
    return events;
  }

  /** Whether {@code data: [DONE]} arrived. */
  boolean done() {
    return done;
  }

  private void endLine(List<String> events) {
    String text = line.toString(StandardCharsets.UTF_8);
    line = new ByteArrayOutputStream(256);
    if (text.isEmpty()) {
      dispatch(events);
      return;
    }
    if (text.startsWith(":")) {
      return;
    }
    int colon = text.indexOf(':');
    String field = colon < 0 ? text : text.substring(0, colon);
    String value = colon < 0 ? "" : text.substring(colon + 1);
    if (value.startsWith(" ")) {
      value = value.substring(1);
    }
    if (field.equals("data")) {
      dataLines.add(value);
    }
  }

  private void dispatch(List<String> events) {
    if (dataLines.isEmpty() || done) {
      dataLines.clear();
      return;
    }
    String data = String.join("\n", dataLines);
    dataLines.clear();
    if (data.trim().equals(DONE)) {
      done = true;
    } else {
      events.add(data);
    }
  }
}
