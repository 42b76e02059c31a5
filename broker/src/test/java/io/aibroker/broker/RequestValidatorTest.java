package io.aibroker.broker;

import static io.aibroker.broker.TestRequests.NOW;
import static io.aibroker.broker.TestRequests.chat;
import static io.aibroker.broker.TestRequests.params;
import static org.assertj.core.api.Assertions.assertThat;

import io.aibroker.records.ChatMessage;
import io.aibroker.records.InferenceRequest;
import io.aibroker.records.ReasonCode;
import io.aibroker.records.Task;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RequestValidatorTest {

  private final RequestValidator validator =
      new RequestValidator(new RequestLimits(3, 2, 100, 20), TestRequests.models());

  private Optional<Rejection> validate(InferenceRequest request) {
    return validator.validate(request, NOW);
  }

  @Test
  void acceptsAWellFormedChatRequest() {
    assertThat(validate(chat("r1", "acme", "hello").build())).isEmpty();
  }

  @Test
  void acceptsAnAlias() {
    assertThat(validate(chat("r1", "acme", "hello").setModel("default").build())).isEmpty();
  }

  @Test
  void rejectsAMissingTenant() {
    assertThat(validate(chat("r1", "", "hello").build()))
        .hasValueSatisfying(r -> assertThat(r.message()).contains("tenantId is required"));
  }

  @Test
  void rejectsTooLongOrOddIds() {
    assertThat(validate(chat("r".repeat(21), "acme", "x").build()))
        .hasValueSatisfying(r -> assertThat(r.message()).contains("requestId is 21 characters"));
    assertThat(validate(chat("r1", "acme'; DROP", "x").build()))
        .hasValueSatisfying(r -> assertThat(r.reason()).isEqualTo(ReasonCode.INVALID_REQUEST));
  }

  @Test
  void rejectsTagsAndMetadataBeyondTheirByteLimitAsTooLarge() {
    var limited = new RequestValidator(new RequestLimits(3, 2, 100, 20, 40), TestRequests.models());
    var request =
        chat("r1", "acme", "x")
            .setTags(java.util.Map.of("team", "a".repeat(20)))
            .setMetadata(java.util.Map.of("trace", "b".repeat(20)))
            .build();

    assertThat(limited.validate(request, NOW))
        .hasValueSatisfying(
            r -> {
              assertThat(r.reason()).isEqualTo(ReasonCode.PAYLOAD_TOO_LARGE);
              assertThat(r.message()).contains("tags and metadata are 49 bytes; at most 40");
            });
  }

  @Test
  void rejectsANegativeCacheTtl() {
    var request =
        chat("r1", "acme", "x")
            .setCache(io.aibroker.records.CacheOptions.newBuilder().setTtlSeconds(-1).build())
            .build();

    assertThat(validate(request))
        .hasValueSatisfying(
            r -> assertThat(r.message()).contains("ttlSeconds must not be negative"));
  }

  @Test
  void rejectsAnUnknownModel() {
    assertThat(validate(chat("r1", "acme", "x").setModel("gpt-99").build()))
        .hasValueSatisfying(r -> assertThat(r.reason()).isEqualTo(ReasonCode.UNKNOWN_MODEL));
  }

  @Test
  void rejectsATaskTheModelDoesNotServe() {
    var embedOnChatModel =
        chat("r1", "acme", "x").setTask(Task.EMBED).setInputs(List.of("a")).build();
    assertThat(validate(embedOnChatModel))
        .hasValueSatisfying(r -> assertThat(r.message()).contains("serves CHAT requests"));
  }

  @Test
  void rejectsAPassedDeadline() {
    assertThat(validate(chat("r1", "acme", "x").setDeadline(NOW.minusSeconds(1)).build()))
        .hasValueSatisfying(r -> assertThat(r.reason()).isEqualTo(ReasonCode.DEADLINE));
  }

  @Test
  void rejectsTooManyMessagesAndTooManyBytes() {
    var many = Collections.nCopies(4, new ChatMessage("user", "x", null));
    assertThat(validate(chat("r1", "acme", "x").setMessages(many).build()))
        .hasValueSatisfying(r -> assertThat(r.reason()).isEqualTo(ReasonCode.PAYLOAD_TOO_LARGE));
    assertThat(validate(chat("r1", "acme", "é".repeat(51)).build()))
        .hasValueSatisfying(r -> assertThat(r.message()).contains("102 bytes"));
  }

  @Test
  void rejectsAChatWithoutMessages() {
    assertThat(validate(chat("r1", "acme", "x").setMessages(List.of()).build()))
        .hasValueSatisfying(r -> assertThat(r.message()).contains("at least one message"));
  }

  @Test
  void rejectsParametersOutOfRange() {
    assertThat(validate(chat("r1", "acme", "x").setParams(params(1001, null, null)).build()))
        .hasValueSatisfying(r -> assertThat(r.message()).contains("maxTokens must be between 1"));
    assertThat(validate(chat("r1", "acme", "x").setParams(params(null, 2.5, null)).build()))
        .hasValueSatisfying(r -> assertThat(r.message()).contains("temperature"));
    assertThat(validate(chat("r1", "acme", "x").setParams(params(null, Double.NaN, null)).build()))
        .hasValueSatisfying(r -> assertThat(r.message()).contains("temperature"));
    assertThat(validate(chat("r1", "acme", "x").setParams(params(null, null, -0.1)).build()))
        .hasValueSatisfying(r -> assertThat(r.message()).contains("topP"));
  }

  @Test
  void rejectsAnInvalidReplyToTopic() {
    assertThat(validate(chat("r1", "acme", "x").setReplyTo("bad topic!").build()))
        .hasValueSatisfying(r -> assertThat(r.message()).contains("replyTo"));
  }
}
