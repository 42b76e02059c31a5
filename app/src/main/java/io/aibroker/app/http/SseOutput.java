package io.aibroker.app.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes server-sent events as OpenAI sends them: {@code data: <json>} and a blank line per event,
 * {@code data: [DONE]} at the end, each flushed at once so the client sees it. A write failing with
 * an IOException means the client went away.
 */
final class SseOutput {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final OutputStream out;

  SseOutput(OutputStream out) {
    this.out = out;
  }

  /** One event with a JSON object as its data (compact JSON never spans lines). */
  void data(JsonNode json) throws IOException {
    write("data: " + JSON.writeValueAsString(json) + "\n\n");
  }

  /** The end of the stream. */
  void done() throws IOException {
    write("data: [DONE]\n\n");
  }

  /** A comment line, ignored by clients: keeps idle connections open and finds closed ones. */
  void comment(String text) throws IOException {
    write(": " + text + "\n\n");
  }

  private void write(String text) throws IOException {
    out.write(text.getBytes(StandardCharsets.UTF_8));
    out.flush();
  }
}
