package io.aibroker.connector.azureopenai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aibroker.connector.InvalidRequestException;
import io.aibroker.connector.ProviderCall;
import io.aibroker.connector.Task;
import io.aibroker.connector.batch.BatchSubmission;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The JSONL input file of an Azure OpenAI batch job: one line per call, {@code {"custom_id":
 * <request id>, "method": "POST", "url": "/chat/completions", "body": {...}}}.
 *
 * <p>A line's body is what the real-time call sends ({@link ChatRequests#options}), so a call is
 * answered alike whichever way it goes, plus {@code model}, the Global Batch deployment (the same
 * on every line, as Azure requires). Streaming and service-tier fields are left out: batch lines
 * are never streamed, and the batch deployment is the tier.
 */
final class BatchLines {

  /** The endpoint every line, and the job, names. */
  static final String CHAT_COMPLETIONS = "/chat/completions";

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private BatchLines() {}

  /**
   * The input file of {@code submission}, one line per call in the submission's order, each ending
   * in LF.
   *
   * @throws InvalidRequestException for a call that is not a chat, or a chat Azure cannot take
   *     (e.g. a tool message); the message names the call, never its contents
   */
  static byte[] jsonl(BatchSubmission submission) {
    String model = model(submission);
    StringBuilder file = new StringBuilder(submission.calls().size() * 256);
    for (ProviderCall call : submission.calls()) {
      file.append(line(call, model)).append('\n');
    }
    return file.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** The deployment the lines go to: the submission's, else its provider model (as real time). */
  static String model(BatchSubmission submission) {
    return submission.deployment() != null && !submission.deployment().isBlank()
        ? submission.deployment()
        : submission.providerModel();
  }

  /** One line, without its line end. */
  static String line(ProviderCall call, String model) {
    if (call.task() != Task.CHAT) {
      throw new InvalidRequestException(
          AzureOpenAiConnector.PROVIDER,
          "call " + call.requestId() + " is a " + call.task() + " call; batch jobs take chat only");
    }
    ObjectNode line = JSON.createObjectNode();
    line.put("custom_id", call.requestId());
    line.put("method", "POST");
    line.put("url", CHAT_COMPLETIONS);
    line.set("body", body(call, model));
    return line.toString();
  }

  private static ObjectNode body(ProviderCall call, String model) {
    JsonNode options;
    try {
      options = JSON.readTree(ChatRequests.options(call).toJsonString());
    } catch (IOException e) {
      throw new UncheckedIOException("could not serialise the chat request", e);
    }
    ObjectNode body = JSON.createObjectNode();
    // model first, as Azure's examples write it; the rest in the SDK's order.
    body.put("model", model);
    options
        .properties()
        .forEach(
            field -> {
              if (!field.getKey().equals("model")
                  && !field.getKey().equals("stream")
                  && !field.getKey().equals("stream_options")
                  && !field.getKey().equals("service_tier")) {
                body.set(field.getKey(), field.getValue());
              }
            });
    return body;
  }
}
