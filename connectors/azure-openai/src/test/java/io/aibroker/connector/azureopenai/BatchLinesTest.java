package io.aibroker.connector.azureopenai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aibroker.connector.ChatMessage;
import io.aibroker.connector.GenerationParams;
import io.aibroker.connector.InvalidRequestException;
import io.aibroker.connector.ProviderCall;
import io.aibroker.connector.Task;
import io.aibroker.connector.batch.BatchApi;
import io.aibroker.connector.batch.BatchSubmission;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchLinesTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private static ProviderCall call(String id, String deployment, List<ChatMessage> messages) {
    return new ProviderCall(
        id,
        "tenant",
        Task.CHAT,
        "gpt-4o-mini",
        deployment,
        messages,
        List.of(),
        new GenerationParams(64, 0.2, 0.9, List.of("END")),
        false,
        null,
        BatchApi.BATCH_TIER);
  }

  private static List<JsonNode> lines(BatchSubmission submission) throws Exception {
    String file = new String(BatchLines.jsonl(submission), StandardCharsets.UTF_8);
    assertThat(file).endsWith("\n");
    return file.lines().map(line -> read(line)).toList();
  }

  private static JsonNode read(String text) {
    try {
      return JSON.readTree(text);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void writesOneLinePerCallKeyedByItsRequestIdInSubmissionOrder() throws Exception {
    List<ChatMessage> messages = List.of(ChatMessage.user("Hi"));
    BatchSubmission submission =
        new BatchSubmission(
            "job-1",
            "batch-deployment",
            "gpt-4o-mini",
            List.of(
                call("req-b", "batch-deployment", messages),
                call("req-a", "batch-deployment", messages)));

    List<JsonNode> lines = lines(submission);

    assertThat(lines)
        .extracting(line -> line.path("custom_id").asText())
        .containsExactly("req-b", "req-a");
    lines.forEach(
        line -> {
          assertThat(line.path("method").asText()).isEqualTo("POST");
          assertThat(line.path("url").asText()).isEqualTo("/chat/completions");
        });
  }

  @Test
  void aLineBodyIsTheRealTimeRequestBodyWithTheBatchDeploymentAsModel() throws Exception {
    ProviderCall batched =
        call(
            "req-1",
            "batch-deployment",
            List.of(ChatMessage.system("Be brief."), ChatMessage.user("Hi")));
    ObjectNode realTime =
        (ObjectNode)
            JSON.readTree(
                ChatRequests.options(batched.withServiceTier(ProviderCall.STANDARD_TIER))
                    .toJsonString());

    JsonNode body = read(BatchLines.line(batched, "batch-deployment")).path("body");

    ObjectNode expected = realTime.deepCopy();
    expected.put("model", "batch-deployment");
    assertThat(body).isEqualTo(expected);
    assertThat(body.path("max_tokens").asInt()).isEqualTo(64);
    assertThat(body.path("messages").get(1).path("content").asText()).isEqualTo("Hi");
  }

  @Test
  void leavesOutStreamingAndTheServiceTierSinceTheBatchDeploymentIsTheTier() {
    JsonNode body =
        read(BatchLines.line(call("req-1", "d", List.of(ChatMessage.user("Hi"))), "d"))
            .path("body");

    assertThat(body.has("stream")).isFalse();
    assertThat(body.has("stream_options")).isFalse();
    assertThat(body.has("service_tier")).isFalse();
  }

  @Test
  void theModelIsTheSubmissionsDeploymentOrElseItsProviderModel() {
    List<ChatMessage> messages = List.of(ChatMessage.user("Hi"));
    BatchSubmission withDeployment =
        new BatchSubmission(
            "job-1", "batch-dep", "gpt-4o-mini", List.of(call("r", "batch-dep", messages)));
    BatchSubmission without =
        new BatchSubmission("job-1", null, "gpt-4o-mini", List.of(call("r", null, messages)));

    assertThat(BatchLines.model(withDeployment)).isEqualTo("batch-dep");
    assertThat(BatchLines.model(without)).isEqualTo("gpt-4o-mini");
  }

  @Test
  void rejectsAnEmbeddingCallNamingTheCallNotItsInputs() {
    ProviderCall embed =
        ProviderCall.embed("req-embed", "tenant", "gpt-4o-mini", List.of("secret text"));

    assertThatThrownBy(() -> BatchLines.line(embed, "d"))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("req-embed")
        .hasMessageNotContaining("secret text");
  }

  @Test
  void rejectsARoleAzureChatCannotTakeAsTheRealTimeCallDoes() {
    ProviderCall tool = call("req-tool", "d", List.of(new ChatMessage("tool", "result")));

    assertThatThrownBy(() -> BatchLines.line(tool, "d"))
        .isInstanceOf(InvalidRequestException.class);
  }
}
