package io.aibroker.connector.bedrock;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.aibroker.connector.ProviderErrorMapper;
import io.aibroker.connector.ProviderException;
import io.aibroker.connector.batch.BatchApi;
import io.aibroker.connector.batch.BatchLineResult;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/**
 * Reads a batch job's output file ({@code <input file>.out}): one JSONL line per record that
 * finished, {@code {"recordId": ..., "modelInput": ..., "modelOutput": ...}} for an answer or
 * {@code {"recordId": ..., "modelInput": ..., "error": {"errorCode": 400, "errorMessage": ...}}}
 * for a record that failed on its own.
 *
 * <p>Answers are served at {@link BatchApi#BATCH_TIER}. Errors go through the connector's error
 * mapper like real-time ones: {@code errorCode} is the HTTP status InvokeModel would have answered,
 * so 400s are terminal and 429s and 5xx retryable; 424 (the model failed) and 408 (it timed out)
 * are retryable too, as in real time. A line that cannot be read, or names a record the job does
 * not have, is left out: the worker treats the record as never answered.
 */
final class BatchOutputParser {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final BatchModelFamily family;
  private final List<String> requestIds;
  private final ProviderErrorMapper errorMapper;

  /**
   * @param family the model family of the job's lines
   * @param requestIds the broker's request id of each line, in line order
   * @param errorMapper classifies line errors
   */
  BatchOutputParser(
      BatchModelFamily family, List<String> requestIds, ProviderErrorMapper errorMapper) {
    this.family = Objects.requireNonNull(family, "family");
    this.requestIds = List.copyOf(requestIds);
    this.errorMapper = Objects.requireNonNull(errorMapper, "errorMapper");
  }

  /** The result of every line of {@code output} by request id. */
  Map<String, BatchLineResult> parse(byte[] output) {
    Map<String, BatchLineResult> results = new HashMap<>();
    String text = new String(output, StandardCharsets.UTF_8);
    int start = 0;
    while (start < text.length()) {
      int end = text.indexOf('\n', start);
      if (end < 0) {
        end = text.length();
      }
      String line = text.substring(start, end).strip();
      start = end + 1;
      if (!line.isEmpty()) {
        parseLine(line, results);
      }
    }
    return results;
  }

  private void parseLine(String line, Map<String, BatchLineResult> results) {
    JsonNode record;
    try {
      record = JSON.readTree(line);
    } catch (JsonProcessingException unreadable) {
      return;
    }
    OptionalInt index = BatchRecords.lineIndex(record.path("recordId").asText(null));
    if (index.isEmpty() || index.getAsInt() >= requestIds.size()) {
      return;
    }
    results.put(requestIds.get(index.getAsInt()), result(record));
  }

  /** The line's answer or error. */
  BatchLineResult result(JsonNode record) {
    JsonNode error = record.get("error");
    if (error != null && !error.isNull()) {
      return new BatchLineResult.Failed(error(error));
    }
    JsonNode output = record.get("modelOutput");
    if (output == null || !output.isObject()) {
      return new BatchLineResult.Failed(
          errorMapper.map(serviceError(500, null, "batch line has neither output nor error")));
    }
    try {
      return new BatchLineResult.Answered(
          family.output(output).withServiceTier(BatchApi.BATCH_TIER));
    } catch (RuntimeException unbillable) {
      return new BatchLineResult.Failed(errorMapper.map(unbillable));
    }
  }

  private ProviderException error(JsonNode error) {
    JsonNode code = error.path("errorCode");
    String message = error.path("errorMessage").asText("batch line failed");
    int status = 0;
    String awsCode = null;
    if (code.canConvertToInt()) {
      status = code.asInt();
    } else if (code.isTextual()) {
      String textual = code.asText().strip();
      if (textual.matches("\\d{3}")) {
        status = Integer.parseInt(textual);
      } else if (!textual.isEmpty()) {
        awsCode = textual;
      }
    }
    if (awsCode == null) {
      awsCode = codeOfStatus(status);
    }
    return errorMapper.map(serviceError(status, awsCode, message));
  }

  /**
   * The AWS error code where the status alone would classify wrongly: InvokeModel's 424 means the
   * model failed this time, not that the request was bad.
   */
  private static String codeOfStatus(int status) {
    return switch (status) {
      case 424 -> "ModelErrorException";
      case 408 -> "ModelTimeoutException";
      default -> null;
    };
  }

  /** The line's error as the SDK would have thrown it for a real-time call. */
  private static AwsServiceException serviceError(int status, String code, String message) {
    return AwsServiceException.builder()
        .statusCode(status)
        .message(message)
        .awsErrorDetails(
            AwsErrorDetails.builder()
                .errorCode(code)
                .errorMessage(message)
                .serviceName(BedrockErrorMapper.PROVIDER)
                .build())
        .build();
  }
}
