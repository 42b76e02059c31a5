package io.aibroker.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aibroker.records.InferenceResult;
import io.aibroker.records.Output;
import io.aibroker.records.ReasonCode;
import io.aibroker.records.ResultStatus;
import io.aibroker.records.Task;
import io.aibroker.records.TokenUsage;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class BatchLineTest {

  private static final Instant NOW = Instant.parse("2026-03-01T00:00:00Z");

  @Test
  void readsAChatLineWithParams() {
    BatchLine line =
        BatchLine.parse(
            "{\"custom_id\":\"r1\",\"method\":\"POST\",\"url\":\"/v1/chat/completions\","
                + "\"body\":{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":"
                + "[{\"type\":\"text\",\"text\":\"a\"},{\"type\":\"text\",\"text\":\"b\"}]}],"
                + "\"max_tokens\":9,\"temperature\":0.5,\"top_p\":1,\"stop\":\"x\"}}",
            "acme",
            NOW);

    assertThat(line.valid()).as(line.error()).isTrue();
    var request = line.request();
    assertThat(request.getTask()).isEqualTo(Task.CHAT);
    assertThat(request.getRequestId()).startsWith("batch-");
    assertThat(request.getIdempotencyKey()).isEqualTo("r1");
    assertThat(request.getMessages().get(0).getContent()).isEqualTo("ab");
    assertThat(request.getParams().getMaxTokens()).isEqualTo(9);
    assertThat(request.getParams().getStop()).containsExactly("x");
  }

  @Test
  void everyRunGetsFreshRequestIdsWhileTheCustomIdIsTheIdempotencyKey() {
    assertThat(BatchLine.newRequestId()).isNotEqualTo(BatchLine.newRequestId());
    assertThat(BatchLine.newRequestId()).matches("[A-Za-z0-9-]+");
  }

  @Test
  void readsEmbeddings() {
    BatchLine line =
        BatchLine.parse(
            "{\"custom_id\":\"e\",\"url\":\"/v1/embeddings\",\"body\":{\"model\":\"m\",\"input\":\"hi\"}}",
            "acme",
            NOW);
    assertThat(line.request().getTask()).isEqualTo(Task.EMBED);
    assertThat(line.request().getInputs()).containsExactly("hi");
  }

  @Test
  void invalidLinesKeepTheirCustomIdAndSayWhy() {
    assertThat(BatchLine.parse("not json", "t", NOW).error()).contains("not JSON");
    assertThat(BatchLine.parse("{\"url\":\"x\"}", "t", NOW).error()).contains("custom_id");
    BatchLine method =
        BatchLine.parse(
            "{\"custom_id\":\"x\",\"method\":\"GET\",\"url\":\"/v1/embeddings\",\"body\":{}}",
            "t",
            NOW);
    assertThat(method.customId()).isEqualTo("x");
    assertThat(method.error()).contains("POST");
  }

  @Test
  void statusCodesAreTheHttpApisForTheSameResult() {
    assertThat(BatchOutput.statusCode(result(ResultStatus.REJECTED, ReasonCode.QUOTA_RPM)))
        .isEqualTo(429);
    assertThat(BatchOutput.statusCode(result(ResultStatus.REJECTED, ReasonCode.UNKNOWN_MODEL)))
        .isEqualTo(404);
    assertThat(BatchOutput.statusCode(result(ResultStatus.REJECTED, ReasonCode.INVALID_REQUEST)))
        .isEqualTo(400);
    assertThat(BatchOutput.statusCode(result(ResultStatus.FAILED, ReasonCode.PROVIDER_TIMEOUT)))
        .isEqualTo(504);
    assertThat(BatchOutput.statusCode(result(ResultStatus.FAILED, ReasonCode.PROVIDER_ERROR)))
        .isEqualTo(502);
    assertThat(BatchOutput.statusCode(result(ResultStatus.EXPIRED, ReasonCode.DEADLINE)))
        .isEqualTo(504);
    assertThat(BatchOutput.statusCode(result(ResultStatus.SUCCEEDED, null))).isEqualTo(200);
  }

  @Test
  void aSucceededChatBecomesAChatCompletion() throws Exception {
    BatchLine line =
        BatchLine.parse(
            "{\"custom_id\":\"r1\",\"url\":\"/v1/chat/completions\","
                + "\"body\":{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"q\"}]}}",
            "acme",
            NOW);
    JsonNode out =
        new ObjectMapper()
            .readTree(
                BatchOutput.result("r1", line.request(), result(ResultStatus.SUCCEEDED, null)));
    assertThat(out.at("/response/body/choices/0/message/content").asText()).isEqualTo("answer");
    assertThat(out.at("/response/body/usage/total_tokens").asLong()).isEqualTo(5);
    assertThat(out.get("error").isNull()).isTrue();
  }

  @Test
  void progressLineShowsCountsRateAndEta() {
    assertThat(ProgressBar.line(5, 10, Duration.ofSeconds(5)))
        .contains("5/10", " 50%", "1.0 req/s", "ETA 0:05");
  }

  private static InferenceResult result(ResultStatus status, ReasonCode reason) {
    return InferenceResult.newBuilder()
        .setRequestId("r")
        .setTenantId("acme")
        .setStatus(status)
        .setReason(reason)
        .setOutput(
            status == ResultStatus.SUCCEEDED
                ? Output.newBuilder().setText("answer").setFinishReason("stop").build()
                : null)
        .setUsage(new TokenUsage(2L, 3L, 0L, 0L, 0L, 0L))
        .setCompletedAt(NOW)
        .build();
  }
}
