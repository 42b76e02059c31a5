package io.aibroker.connector.azureopenai;

import com.azure.ai.openai.models.ChatCompletions;
import com.azure.json.JsonProviders;
import com.azure.json.JsonReader;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.aibroker.connector.ProviderException;
import io.aibroker.connector.batch.BatchApi;
import io.aibroker.connector.batch.BatchLineResult;
import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Reads the output and error files of an Azure OpenAI batch job, JSONL lines of {@code
 * {"custom_id": ..., "response": {"status_code": ..., "body": {...}}, "error": ...}}, into each
 * line's {@link BatchLineResult} by its {@code custom_id} (the call's request id).
 *
 * <ul>
 *   <li>{@code status_code} 2xx and no {@code error}: {@link BatchLineResult.Answered}, the body
 *       read as the real-time chat completion ({@link Responses#chat}: text, finish reason, usage
 *       with cached and reasoning tokens) at the {@link BatchApi#BATCH_TIER batch tier}
 *   <li>a status of 400 or more, or an {@code error}: {@link BatchLineResult.Failed}, classified by
 *       {@link AzureOpenAiErrorMapper#forStatus} like the same real-time error; an {@code error}
 *       without a status is a retryable server error
 *   <li>{@code batch_expired} and {@code batch_cancelled} errors: absent, since Azure never got to
 *       the line (it may write them for the lines an expired or cancelled job did not reach)
 *   <li>blank lines and lines without a {@code custom_id}: skipped; nothing can be said of them
 * </ul>
 *
 * <p>Messages quote the provider's error message (scrubbed of the key), never a reply.
 */
final class BatchOutputParser {

  /** Error codes of lines the job ended before reaching. */
  static final Set<String> NOT_REACHED = Set.of("batch_expired", "batch_cancelled");

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final AzureOpenAiErrorMapper errors;

  /**
   * @param errors classifies failed lines
   */
  BatchOutputParser(AzureOpenAiErrorMapper errors) {
    this.errors = Objects.requireNonNull(errors, "errors");
  }

  /**
   * Adds the results of {@code file}'s lines to {@code results}; a line already there (the same
   * {@code custom_id} in the output file read first) keeps its result.
   */
  void parse(String file, Map<String, BatchLineResult> results) {
    if (file == null) {
      return;
    }
    file.lines()
        .filter(line -> !line.isBlank())
        .forEach(
            text -> {
              JsonNode line = readLine(text);
              String id = line == null ? null : textOf(line.get("custom_id"));
              if (id == null || results.containsKey(id)) {
                return;
              }
              BatchLineResult result = result(line);
              if (result != null) {
                results.put(id, result);
              }
            });
  }

  /** The result of one line; {@code null} for a line Azure never got to. */
  BatchLineResult result(JsonNode line) {
    JsonNode response = line.path("response");
    JsonNode error = line.path("error");
    int status = response.path("status_code").asInt(0);
    boolean hasError = error.isObject();
    if (!hasError && status >= 200 && status < 300) {
      return answered(response.path("body"));
    }
    AzureErrorBody body;
    if (hasError) {
      body = AzureErrorBody.parse(error.toString());
      if (body.code() != null && NOT_REACHED.contains(body.code())) {
        return null;
      }
    } else {
      body = AzureErrorBody.parse(response.path("body").toString());
    }
    if (status < 400) {
      // An error without a usable status (or a line with neither): Azure failed the line on its
      // side before any response, which a later try may well get past.
      status = 0;
    }
    return new BatchLineResult.Failed(errors.forStatus(status, body));
  }

  private static BatchLineResult answered(JsonNode body) {
    if (!body.isObject()) {
      return new BatchLineResult.Failed(Responses.malformed("batch line without a response body"));
    }
    ChatCompletions completions;
    try (JsonReader reader = JsonProviders.createReader(body.toString())) {
      completions = ChatCompletions.fromJson(reader);
    } catch (IOException | RuntimeException unreadable) {
      // No cause and no body in the message: the body is the tenant's reply.
      return new BatchLineResult.Failed(Responses.malformed("unreadable batch line response"));
    }
    try {
      return new BatchLineResult.Answered(
          Responses.chat(completions).withServiceTier(BatchApi.BATCH_TIER));
    } catch (ProviderException malformed) {
      return new BatchLineResult.Failed(malformed);
    }
  }

  private static JsonNode readLine(String text) {
    try {
      JsonNode line = JSON.readTree(text);
      return line != null && line.isObject() ? line : null;
    } catch (IOException unreadable) {
      return null;
    }
  }

  private static String textOf(JsonNode node) {
    if (node == null || !node.isValueNode() || node.isNull()) {
      return null;
    }
    String text = node.asText();
    return text.isBlank() ? null : text;
  }
}
