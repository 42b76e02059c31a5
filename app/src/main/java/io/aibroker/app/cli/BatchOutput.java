package io.aibroker.app.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aibroker.app.http.OpenAiErrors;
import io.aibroker.records.InferenceRequest;
import io.aibroker.records.InferenceResult;
import io.aibroker.records.ResultStatus;
import io.aibroker.records.Task;
import java.util.List;
import java.util.Locale;

/**
 * Lines of an OpenAI Batch output file: {@code {"id", "custom_id", "response": {"status_code",
 * "request_id", "body"}, "error"}}. A succeeded result's body has the shape of an OpenAI {@code
 * chat.completion} or embedding list, with usage; any other result has an OpenAI error body and the
 * error object {@code {code, message}}.
 */
public final class BatchOutput {

  /** Error code of an input line that was not submitted. */
  public static final String INVALID_REQUEST = "invalid_request";

  /** Error code of a request whose result did not come in time. */
  public static final String TIMEOUT = "timeout";

  private static final ObjectMapper JSON = new ObjectMapper();

  private BatchOutput() {}

  /** The HTTP status code OpenAI would answer a result with. */
  public static int statusCode(InferenceResult result) {
    // the OpenAI API's mapping, so a batch line says what the same request over HTTP would
    return result.getStatus() == ResultStatus.SUCCEEDED ? 200 : OpenAiErrors.status(result);
  }

  /** The output line of a result. */
  public static String result(String customId, InferenceRequest request, InferenceResult result) {
    ObjectNode line = JSON.createObjectNode();
    line.put("id", "batch_req_" + result.getRequestId());
    line.put("custom_id", customId);
    ObjectNode response = line.putObject("response");
    int status = statusCode(result);
    response.put("status_code", status);
    response.put("request_id", result.getRequestId());
    if (result.getStatus() == ResultStatus.SUCCEEDED) {
      response.set(
          "body",
          request.getTask() == Task.EMBED ? embeddings(request, result) : chat(request, result));
      line.putNull("error");
    } else {
      String code =
          result.getReason() == null ? result.getStatus().name() : result.getReason().name();
      String message =
          result.getMessage() == null
              ? "request " + result.getStatus().name().toLowerCase(Locale.ROOT)
              : result.getMessage();
      ObjectNode error = response.putObject("body").putObject("error");
      error.put("message", message);
      error.put(
          "type",
          status == 429
              ? "rate_limit_error"
              : status == 400 ? "invalid_request_error" : "server_error");
      error.put("code", code);
      ObjectNode top = line.putObject("error");
      top.put("code", code);
      top.put("message", message);
    }
    return line.toString();
  }

  /** The output line of an input line that was not submitted, or whose result never came. */
  public static String error(String customId, String requestId, String code, String message) {
    ObjectNode line = JSON.createObjectNode();
    line.put("id", requestId == null ? null : "batch_req_" + requestId);
    line.put("custom_id", customId);
    line.putNull("response");
    ObjectNode error = line.putObject("error");
    error.put("code", code);
    error.put("message", message);
    return line.toString();
  }

  private static ObjectNode chat(InferenceRequest request, InferenceResult result) {
    ObjectNode body = JSON.createObjectNode();
    body.put("id", "chatcmpl-" + result.getRequestId());
    body.put("object", "chat.completion");
    body.put("created", result.getCompletedAt().getEpochSecond());
    body.put("model", request.getModel());
    ArrayNode choices = body.putArray("choices");
    ObjectNode choice = choices.addObject();
    choice.put("index", 0);
    ObjectNode message = choice.putObject("message");
    message.put("role", "assistant");
    var output = result.getOutput();
    message.put("content", output == null ? null : output.getText());
    String finish = output == null ? null : output.getFinishReason();
    choice.put("finish_reason", finish == null ? "stop" : finish);
    usage(body, result, true);
    return body;
  }

  private static ObjectNode embeddings(InferenceRequest request, InferenceResult result) {
    ObjectNode body = JSON.createObjectNode();
    body.put("object", "list");
    ArrayNode data = body.putArray("data");
    List<List<Float>> vectors =
        result.getOutput() == null ? List.of() : result.getOutput().getEmbeddings();
    for (int i = 0; i < vectors.size(); i++) {
      ObjectNode item = data.addObject();
      item.put("object", "embedding");
      item.put("index", i);
      ArrayNode vector = item.putArray("embedding");
      vectors.get(i).forEach(vector::add);
    }
    body.put("model", request.getModel());
    usage(body, result, false);
    return body;
  }

  private static void usage(ObjectNode body, InferenceResult result, boolean completion) {
    long in = result.getUsage() == null ? 0 : result.getUsage().getInputTokens();
    long out = result.getUsage() == null ? 0 : result.getUsage().getOutputTokens();
    ObjectNode usage = body.putObject("usage");
    usage.put("prompt_tokens", in);
    if (completion) {
      usage.put("completion_tokens", out);
    }
    usage.put("total_tokens", in + out);
  }
}
