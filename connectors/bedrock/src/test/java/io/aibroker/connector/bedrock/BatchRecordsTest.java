package io.aibroker.connector.bedrock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.aibroker.connector.CacheLifetime;
import io.aibroker.connector.ChatMessage;
import io.aibroker.connector.GenerationParams;
import io.aibroker.connector.InvalidRequestException;
import io.aibroker.connector.ProviderCall;
import io.aibroker.connector.Task;
import io.aibroker.connector.batch.BatchSubmission;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BatchRecordsTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String CLAUDE = "anthropic.claude-3-5-sonnet-20240620-v1:0";

  @Test
  void recordIdsAreElevenCharacterLineNumbersAndMapBack() {
    assertThat(BatchRecords.recordId(0)).isEqualTo("R0000000001").hasSize(11);
    assertThat(BatchRecords.recordId(999)).isEqualTo("R0000001000");
    assertThat(BatchRecords.lineIndex("R0000001000")).hasValue(999);
    assertThat(BatchRecords.lineIndex("R000000100")).isEmpty();
    assertThat(BatchRecords.lineIndex("req-1")).isEmpty();
    assertThat(BatchRecords.lineIndex(null)).isEmpty();
    assertThatThrownBy(() -> BatchRecords.recordId(-1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void writesOneAnthropicMessagesLinePerCallInOrder() throws Exception {
    ProviderCall first =
        call(
            "req-a",
            CLAUDE,
            new GenerationParams(256, 0.5, 0.9, List.of("END")),
            ChatMessage.system("Be brief."),
            ChatMessage.user("Say one."));
    ProviderCall second = call("req-b", CLAUDE, null, ChatMessage.user("Say two."));

    List<JsonNode> lines = lines(submission(CLAUDE, first, second));

    assertThat(lines).hasSize(2);
    assertThat(lines.get(0).path("recordId").asText()).isEqualTo("R0000000001");
    assertThat(lines.get(1).path("recordId").asText()).isEqualTo("R0000000002");
    JsonNode input = lines.get(0).path("modelInput");
    assertThat(input.path("anthropic_version").asText()).isEqualTo("bedrock-2023-05-31");
    assertThat(input.path("max_tokens").asInt()).isEqualTo(256);
    assertThat(input.path("temperature").asDouble()).isEqualTo(0.5);
    assertThat(input.path("top_p").asDouble()).isEqualTo(0.9);
    assertThat(input.path("stop_sequences").get(0).asText()).isEqualTo("END");
    assertThat(input.path("system").get(0).path("text").asText()).isEqualTo("Be brief.");
    assertThat(input.path("messages")).hasSize(1);
    assertThat(input.path("messages").get(0).path("role").asText()).isEqualTo("user");
    assertThat(input.path("messages").get(0).path("content").get(0).path("text").asText())
        .isEqualTo("Say one.");
    JsonNode defaults = lines.get(1).path("modelInput");
    assertThat(defaults.path("max_tokens").asInt())
        .as("required by the Messages API")
        .isEqualTo(BatchModelFamily.DEFAULT_MAX_TOKENS);
    assertThat(defaults.has("system")).isFalse();
    assertThat(defaults.has("temperature")).isFalse();
  }

  @Test
  void cachePointsBecomeCacheControl() throws Exception {
    ProviderCall call =
        call(
            "req-a",
            CLAUDE,
            null,
            ChatMessage.system("Long instructions.").withCachePoint(CacheLifetime.ONE_HOUR),
            ChatMessage.user("Hi.").withCachePoint(CacheLifetime.FIVE_MINUTES));

    JsonNode input = lines(submission(CLAUDE, call)).get(0).path("modelInput");

    JsonNode system = input.path("system").get(0).path("cache_control");
    assertThat(system.path("type").asText()).isEqualTo("ephemeral");
    assertThat(system.path("ttl").asText()).isEqualTo("1h");
    JsonNode user = input.path("messages").get(0).path("content").get(0).path("cache_control");
    assertThat(user.path("type").asText()).isEqualTo("ephemeral");
    assertThat(user.has("ttl")).isFalse();
  }

  @Test
  void writesNovaAndLlamaBodies() throws Exception {
    String nova = "us.amazon.nova-lite-v1:0";
    JsonNode novaInput =
        lines(
                submission(
                    nova,
                    call(
                        "r",
                        nova,
                        new GenerationParams(100, null, null, null),
                        ChatMessage.system("S."),
                        ChatMessage.user("U."))))
            .get(0)
            .path("modelInput");
    assertThat(novaInput.path("schemaVersion").asText()).isEqualTo("messages-v1");
    assertThat(novaInput.path("system").get(0).path("text").asText()).isEqualTo("S.");
    assertThat(novaInput.path("messages").get(0).path("content").get(0).path("text").asText())
        .isEqualTo("U.");
    assertThat(novaInput.path("inferenceConfig").path("maxTokens").asInt()).isEqualTo(100);

    String llama = "meta.llama3-1-8b-instruct-v1:0";
    JsonNode llamaInput =
        lines(submission(llama, call("r", llama, null, ChatMessage.user("U."))))
            .get(0)
            .path("modelInput");
    assertThat(llamaInput.path("prompt").asText())
        .startsWith("<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nU.<|eot_id|>")
        .endsWith("<|start_header_id|>assistant<|end_header_id|>\n\n");
  }

  @Test
  void refusesAWholeJobOfAnUnsupportedFamilyOrTask() {
    String titan = "amazon.titan-text-express-v1";
    assertThatThrownBy(
            () ->
                BatchRecords.jsonl(
                    submission(titan, call("r", titan, null, ChatMessage.user("U.")))))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining(titan);

    ProviderCall embed =
        new ProviderCall(
            "e", "t", Task.EMBED, CLAUDE, null, List.of(), List.of("x"), null, false, null);
    assertThatThrownBy(() -> BatchRecords.jsonl(submission(CLAUDE, embed)))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("chat calls only");
  }

  @Test
  void requestIdsRoundTripCompactly() {
    ProviderCall[] calls =
        IntStream.range(0, 1000)
            .mapToObj(i -> call("req-" + i + "-\"quoted\"", CLAUDE, null, ChatMessage.user("U.")))
            .toArray(ProviderCall[]::new);
    BatchSubmission submission = submission(CLAUDE, calls);

    String encoded = BatchRecords.encodeRequestIds(submission);

    assertThat(BatchRecords.decodeRequestIds(encoded))
        .containsExactlyElementsOf(
            submission.calls().stream().map(ProviderCall::requestId).toList());
    assertThatThrownBy(() -> BatchRecords.decodeRequestIds("{not json"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> BatchRecords.decodeRequestIds(null))
        .isInstanceOf(IllegalArgumentException.class);
  }

  static ProviderCall call(
      String requestId, String model, GenerationParams params, ChatMessage... messages) {
    return new ProviderCall(
        requestId,
        "tenant",
        Task.CHAT,
        model,
        null,
        List.of(messages),
        List.of(),
        params,
        false,
        null,
        "batch");
  }

  static BatchSubmission submission(String model, ProviderCall... calls) {
    return new BatchSubmission("job-1", null, model, List.of(calls));
  }

  private static List<JsonNode> lines(BatchSubmission submission) throws Exception {
    String text = new String(BatchRecords.jsonl(submission), StandardCharsets.UTF_8);
    assertThat(text).endsWith("\n");
    return text.lines().map(BatchRecordsTest::parse).toList();
  }

  private static JsonNode parse(String line) {
    try {
      return JSON.readTree(line);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
