package io.aibroker.connector.workersai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aibroker.connector.ErrorClass;
import io.aibroker.connector.ProviderCall;
import io.aibroker.connector.ProviderException;
import io.aibroker.connector.ProviderResponse;
import io.aibroker.connector.Task;
import io.aibroker.connector.batch.BatchApi;
import io.aibroker.connector.batch.BatchJob;
import io.aibroker.connector.batch.BatchJobStatus;
import io.aibroker.connector.batch.BatchLineResult;
import io.aibroker.connector.batch.BatchSubmission;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Workers AI's async batch JSON: the queued request {@code {"requests":[{<run body>,
 * "external_reference": ..}, ..]}}, its acknowledgement {@code
 * {"result":{"status":"queued","request_id":..,"model":..}}}, and poll replies: {@code
 * {"result":{"status":"queued"|"running"}}} while the job runs, {@code
 * {"result":{"responses":[{"id":n,"result":{..},"success":true,"external_reference":..},..]}}} once
 * done.
 *
 * <p>A line's {@code external_reference} is {@code <job key>:<request id>}: it maps each response
 * back to its call and lets an operator tell whose job a request in Cloudflare's dashboard is. Both
 * the enveloped REST shape and the bare shape of the Workers binding are read. Messages never carry
 * reply text, which is tenant data.
 */
final class WorkersAiBatchJson {

  /** States Cloudflare reports while a job has not ended. */
  private static final Set<String> RUNNING = Set.of("queued", "running", "pending", "processing");

  private WorkersAiBatchJson() {}

  /** The line id of {@code call} in the job with {@code key}. */
  static String lineId(String key, String requestId) {
    return key + ":" + requestId;
  }

  /**
   * The request id in a line id of the job with {@code key}, or {@code null} if it is not one of
   * that job's.
   */
  static String requestId(String key, String lineId) {
    String prefix = key + ":";
    return lineId != null && lineId.startsWith(prefix) && lineId.length() > prefix.length()
        ? lineId.substring(prefix.length())
        : null;
  }

  /** {@code {"requests":[...]}}: each call's native run body with its line id. */
  static ObjectNode submitBody(BatchSubmission submission) {
    ObjectNode body = WorkersAiJson.object();
    ArrayNode requests = body.putArray("requests");
    for (ProviderCall call : submission.calls()) {
      ObjectNode line =
          call.task() == Task.EMBED ? WorkersAiJson.embedNode(call) : WorkersAiJson.chatNode(call);
      line.put("external_reference", lineId(submission.key(), call.requestId()));
      requests.add(line);
    }
    return body;
  }

  /** {@code {"request_id":..}}: the poll of a job. */
  static ObjectNode pollBody(BatchJob job) {
    ObjectNode body = WorkersAiJson.object();
    body.put("request_id", job.providerJobId());
    return body;
  }

  /** The request id in a successful submit reply. */
  static String requestIdOf(JsonNode reply) throws WorkersAiJson.Malformed {
    JsonNode id = result(reply).path("request_id");
    if (!id.isTextual() || id.asText().isBlank()) {
      throw new WorkersAiJson.Malformed("queued reply has no \"request_id\"");
    }
    return id.asText();
  }

  /**
   * Decodes a poll reply.
   *
   * @param httpStatus the reply's status
   * @param retryAfter its {@code Retry-After} header, or {@code null}
   * @param body its body
   * @throws ProviderException when the poll itself failed: retryable ones (429, 5xx, 3040) always,
   *     terminal ones unless the error says the job failed or expired
   */
  static BatchJobStatus status(
      int httpStatus, String retryAfter, String body, BatchJob job, WorkersAiErrorMapper errors) {
    boolean ok = httpStatus / 100 == 2;
    JsonNode reply;
    try {
      reply = WorkersAiJson.parse(body);
    } catch (WorkersAiJson.Malformed malformed) {
      throw ok
          ? errors.malformed(httpStatus, malformed.getMessage())
          : errors.fromResponse(httpStatus, retryAfter, body);
    }
    JsonNode result = result(reply);
    String state = result.path("status").isTextual() ? result.path("status").asText() : null;
    if (state != null && RUNNING.contains(state.toLowerCase(Locale.ROOT))) {
      return new BatchJobStatus.Running(state);
    }
    BatchJobStatus.End end = end(state);
    if (result.path("responses").isArray()) {
      BatchJobStatus.End ended = end == null ? BatchJobStatus.End.COMPLETED : end;
      return new BatchJobStatus.Ended(
          ended,
          state == null ? "done" : state,
          ended == BatchJobStatus.End.COMPLETED ? null : message(reply, state),
          lines(result.path("responses"), job, errors));
    }
    if (end != null) {
      return new BatchJobStatus.Ended(end, state, message(reply, state), Map.of());
    }
    if (ok && !WorkersAiJson.isError(reply)) {
      throw errors.malformed(httpStatus, "poll reply has neither a running status nor responses");
    }
    ProviderException error = errors.fromResponse(httpStatus, retryAfter, body);
    if (error.errorClass() == ErrorClass.RETRYABLE) {
      throw error;
    }
    // The envelope of a job Cloudflare gave up on names no state, only why.
    String said = error.getMessage() == null ? "" : error.getMessage().toLowerCase(Locale.ROOT);
    if (said.contains("expired")) {
      return new BatchJobStatus.Ended(
          BatchJobStatus.End.EXPIRED, "expired", error.getMessage(), Map.of());
    }
    if (said.contains("fail")) {
      return new BatchJobStatus.Ended(
          BatchJobStatus.End.FAILED, "failed", error.getMessage(), Map.of());
    }
    throw error;
  }

  /** The ended state a status names, or {@code null} if it names none. */
  private static BatchJobStatus.End end(String state) {
    if (state == null) {
      return null;
    }
    return switch (state.toLowerCase(Locale.ROOT)) {
      case "failed", "error", "errored" -> BatchJobStatus.End.FAILED;
      case "expired" -> BatchJobStatus.End.EXPIRED;
      case "cancelled", "canceled" -> BatchJobStatus.End.CANCELLED;
      case "done", "completed", "complete", "succeeded" -> BatchJobStatus.End.COMPLETED;
      default -> null;
    };
  }

  /** The REST envelope's {@code result}, or the reply itself in the binding's bare shape. */
  private static JsonNode result(JsonNode reply) {
    JsonNode result = reply.path("result");
    return result.isObject() ? result : reply;
  }

  /** Why a job did not complete: the first error's message, else a note of the state. */
  private static String message(JsonNode reply, String state) {
    String message = errorMessage(reply);
    if (message == null) {
      message = errorMessage(result(reply));
    }
    return message != null ? message : "Workers AI batch job " + state;
  }

  private static Map<String, BatchLineResult> lines(
      JsonNode responses, BatchJob job, WorkersAiErrorMapper errors) {
    BatchLineShapes shapes;
    try {
      shapes = BatchLineShapes.of(job);
    } catch (WorkersAiJson.Malformed malformed) {
      throw errors.malformed(0, malformed.getMessage());
    }
    Map<String, BatchLineResult> lines = new HashMap<>();
    for (JsonNode line : responses) {
      JsonNode reference = line.path("external_reference");
      // A response that names no line of this job cannot be matched to a call: it stays absent,
      // and the worker calls that line in real time.
      String requestId = reference.isTextual() ? requestId(job.key(), reference.asText()) : null;
      if (requestId != null) {
        lines.put(requestId, line(line, requestId, shapes, errors));
      }
    }
    return lines;
  }

  private static BatchLineResult line(
      JsonNode line, String requestId, BatchLineShapes shapes, WorkersAiErrorMapper errors) {
    if (failed(line)) {
      JsonNode error = firstError(line);
      int status = status(line, error);
      String code = error.path("code").isValueNode() ? error.path("code").asText() : null;
      return new BatchLineResult.Failed(errors.line(status, code, errorMessage(line)));
    }
    try {
      ProviderResponse response =
          shapes.task() == Task.EMBED
              ? WorkersAiJson.embedResponse(
                  line, shapes.inputs(requestId), shapes.estimatedTokens(requestId))
              : WorkersAiJson.chatResponse(line, shapes.maxTokens(requestId));
      return new BatchLineResult.Answered(response.withServiceTier(BatchApi.BATCH_TIER));
    } catch (WorkersAiJson.Malformed malformed) {
      return new BatchLineResult.Failed(errors.malformed(200, malformed.getMessage()));
    }
  }

  private static boolean failed(JsonNode line) {
    return (line.path("success").isBoolean() && !line.path("success").asBoolean())
        || line.path("error").isObject()
        || line.path("error").isTextual()
        || (line.path("errors").isArray() && !line.path("errors").isEmpty());
  }

  /** The line's error object ({@code errors[0]} or {@code error}); missing if it has none. */
  private static JsonNode firstError(JsonNode node) {
    JsonNode errors = node.path("errors");
    if (errors.isArray() && !errors.isEmpty()) {
      return errors.get(0);
    }
    return node.path("error");
  }

  private static String errorMessage(JsonNode node) {
    JsonNode error = firstError(node);
    if (error.isTextual()) {
      return error.asText();
    }
    JsonNode message = error.path("message");
    return message.isTextual() ? message.asText() : null;
  }

  /** The HTTP status a failed line reports (on the line or its error), 0 if none. */
  private static int status(JsonNode line, JsonNode error) {
    for (JsonNode candidate :
        new JsonNode[] {
          line.path("status"),
          line.path("status_code"),
          error.path("status"),
          error.path("status_code")
        }) {
      if (candidate.canConvertToInt() && candidate.isNumber()) {
        return candidate.asInt();
      }
    }
    return 0;
  }
}
