package io.aibroker.connector.workersai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aibroker.connector.testing.FakeBatchJobs;
import io.aibroker.connector.testing.FakeExchange;
import io.aibroker.connector.testing.FakeReplies;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The async batch side of {@link WorkersAiFakeServer}: a body with {@code requests} queues a job,
 * one with {@code request_id} polls it. Every poll advances the job ({@link
 * FakeBatchJobs.Job#poll()}); an ended job answers its finished lines like the real-time native
 * endpoint (with usage), a line with a scripted error with that error, a failed or expired job with
 * an error envelope that names the state.
 */
final class WorkersAiFakeBatches {

  private static final ObjectMapper JSON = new ObjectMapper();

  private WorkersAiFakeBatches() {}

  static void respond(
      FakeBatchJobs jobs,
      String model,
      JsonNode body,
      FakeExchange exchange,
      Map<String, Object> usage)
      throws IOException {
    if (body.path("requests").isArray()) {
      queue(jobs, model, body.path("requests"), exchange);
    } else if (body.path("request_id").isTextual()) {
      poll(jobs, body.path("request_id").asText(), exchange, usage);
    } else {
      exchange.sendJson(
          400,
          WorkersAiFakeServer.envelopeError(
              5006, "Error: required properties at '/' are 'requests' or 'request_id'"));
    }
  }

  private static void queue(
      FakeBatchJobs jobs, String model, JsonNode requests, FakeExchange exchange)
      throws IOException {
    if (requests.isEmpty()) {
      exchange.sendJson(
          400, WorkersAiFakeServer.envelopeError(5006, "Error: 'requests' must not be empty"));
      return;
    }
    List<FakeBatchJobs.Line> lines = new ArrayList<>(requests.size());
    for (JsonNode request : requests) {
      if (!request.has("messages") && !request.has("text")) {
        exchange.sendJson(
            400,
            WorkersAiFakeServer.envelopeError(
                5006, "Error: required properties at '/requests/n' are 'messages'"));
        return;
      }
      JsonNode reference = request.path("external_reference");
      String lineId = reference.isTextual() ? reference.asText() : "#" + lines.size();
      lines.add(new FakeBatchJobs.Line(lineId, request.toString()));
    }
    FakeBatchJobs.Job job = jobs.create(key(lines.get(0).lineId()), lines);
    exchange.sendJson(
        200,
        WorkersAiFakeServer.success(
            Map.of("status", "queued", "request_id", job.id(), "model", model)));
  }

  /** The job key in a {@code <key>:<request id>} line id, or null. */
  private static String key(String lineId) {
    int colon = lineId.lastIndexOf(':');
    return colon > 0 ? lineId.substring(0, colon) : null;
  }

  private static void poll(
      FakeBatchJobs jobs, String requestId, FakeExchange exchange, Map<String, Object> usage)
      throws IOException {
    Optional<FakeBatchJobs.Job> found = jobs.job(requestId);
    if (found.isEmpty()) {
      exchange.sendJson(
          404, WorkersAiFakeServer.envelopeError(7000, "No queued request with that id"));
      return;
    }
    FakeBatchJobs.Job job = found.get();
    FakeBatchJobs.State state = job.poll();
    switch (state) {
      case RUNNING ->
          exchange.sendJson(
              200,
              WorkersAiFakeServer.success(Map.of("status", "running", "request_id", job.id())));
      case COMPLETED ->
          exchange.sendJson(
              200, WorkersAiFakeServer.success(Map.of("responses", responses(job, usage))));
      case FAILED, EXPIRED, CANCELLED -> {
        ObjectNode envelope = JSON.createObjectNode();
        ObjectNode result = envelope.putObject("result");
        result.put("status", state.name().toLowerCase(Locale.ROOT));
        result.put("request_id", job.id());
        if (state != FakeBatchJobs.State.FAILED) {
          result.set("responses", JSON.valueToTree(responses(job, usage)));
        }
        envelope.put("success", false);
        envelope.putArray("errors").addObject().put("code", 3000).put("message", job.message());
        envelope.putArray("messages");
        exchange.sendJson(200, envelope.toString());
      }
    }
  }

  /** The finished lines as the real-time endpoint would answer them, or their scripted errors. */
  private static List<Map<String, Object>> responses(
      FakeBatchJobs.Job job, Map<String, Object> usage) {
    List<Map<String, Object>> responses = new ArrayList<>();
    List<FakeBatchJobs.Line> lines = job.lines();
    for (int i = 0; i < lines.size(); i++) {
      FakeBatchJobs.Line line = lines.get(i);
      if (!job.hasResult(line)) {
        continue;
      }
      Map<String, Object> response = new LinkedHashMap<>();
      response.put("id", i);
      Optional<FakeBatchJobs.LineError> error = job.lineError(line);
      if (error.isPresent()) {
        response.put("success", false);
        response.put("status", error.get().httpStatus());
        response.put("errors", List.of(errorOf(error.get())));
      } else {
        response.put(
            "result",
            Map.of("response", FakeReplies.SUCCESS_TEXT, "tool_calls", List.of(), "usage", usage));
        response.put("success", true);
      }
      response.put("external_reference", line.lineId());
      responses.add(response);
    }
    return responses;
  }

  /** A line's error, its code a number when Cloudflare's would be. */
  private static Map<String, Object> errorOf(FakeBatchJobs.LineError error) {
    Map<String, Object> node = new LinkedHashMap<>();
    String code = error.code();
    node.put("code", code != null && code.matches("\\d{1,9}") ? Integer.valueOf(code) : code);
    node.put("message", error.message());
    return node;
  }
}
