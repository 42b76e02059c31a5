package io.aibroker.connector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProviderCallTest {

  private static final List<ChatMessage> HELLO = List.of(ChatMessage.user("hello there"));

  private static ProviderCall call(Task task, List<ChatMessage> messages, List<String> inputs) {
    return new ProviderCall("r1", "t1", task, "m", null, messages, inputs, null, false, null);
  }

  @Test
  void chatNeedsMessages() {
    assertThatThrownBy(() -> call(Task.CHAT, List.of(), List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("CHAT call r1 needs messages");
  }

  @Test
  void embedNeedsInputs() {
    assertThatThrownBy(() -> call(Task.EMBED, null, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("EMBED call r1 needs inputs");
  }

  @Test
  void rejectsInputsOnChatAndMessagesOnEmbed() {
    assertThatThrownBy(() -> call(Task.CHAT, HELLO, List.of("x")))
        .hasMessageContaining("takes messages, not inputs");
    assertThatThrownBy(() -> call(Task.EMBED, HELLO, List.of("x")))
        .hasMessageContaining("takes inputs, not messages");
  }

  @Test
  void embedCannotStream() {
    assertThatThrownBy(
            () ->
                new ProviderCall(
                    "r1", "t1", Task.EMBED, "m", null, null, List.of("x"), null, true, null))
        .hasMessageContaining("cannot stream");
  }

  @Test
  void requiresIdsTaskAndModel() {
    assertThatThrownBy(() -> ProviderCall.chat(" ", "t", "m", HELLO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("requestId");
    assertThatThrownBy(() -> ProviderCall.chat("r", null, "m", HELLO))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("tenantId");
    assertThatThrownBy(() -> ProviderCall.chat("r", "t", "", HELLO))
        .hasMessageContaining("providerModel");
    assertThatThrownBy(
            () -> new ProviderCall("r", "t", null, "m", null, HELLO, null, null, false, null))
        .hasMessageContaining("task");
  }

  @Test
  void nullParamsMeanProviderDefaultsAndListsAreCopied() {
    var messages = new java.util.ArrayList<>(HELLO);
    ProviderCall call = call(Task.CHAT, messages, null);
    messages.clear();

    assertThat(call.params()).isEqualTo(GenerationParams.defaults());
    assertThat(call.messages()).hasSize(1);
    assertThat(call.inputs()).isEmpty();
  }

  @Test
  void deadlinePassesAtTheDeadlineInstant() {
    Instant deadline = Instant.parse("2030-01-01T00:00:00Z");
    ProviderCall call = ProviderCall.chat("r", "t", "m", HELLO).withDeadline(deadline);

    assertThat(call.deadlinePassed(deadline.minusMillis(1))).isFalse();
    assertThat(call.deadlinePassed(deadline)).isTrue();
    assertThat(ProviderCall.chat("r", "t", "m", HELLO).deadlinePassed(Instant.MAX)).isFalse();
  }

  @Test
  void toStringLeavesOutPromptContents() {
    assertThat(ProviderCall.chat("r", "t", "m", HELLO).toString())
        .doesNotContain("hello there")
        .contains("messages=1");
    assertThat(HELLO.getFirst().toString()).doesNotContain("hello");
  }

  @Test
  void generationParamsRejectOutOfRangeValues() {
    assertThatThrownBy(() -> new GenerationParams(0, null, null, null))
        .hasMessageContaining("maxTokens");
    assertThatThrownBy(() -> new GenerationParams(null, -0.1, null, null))
        .hasMessageContaining("temperature");
    assertThatThrownBy(() -> new GenerationParams(null, null, 1.5, null))
        .hasMessageContaining("topP");
    assertThat(GenerationParams.defaults().stop()).isEmpty();
  }

  @Test
  void tokenUsageTotalsAndRejectsNegatives() {
    assertThat(new TokenUsage(3, 4).total()).isEqualTo(7);
    assertThatThrownBy(() -> new TokenUsage(-1, 0)).isInstanceOf(IllegalArgumentException.class);
  }
}
