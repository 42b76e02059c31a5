package io.aibroker.connector.workersai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aibroker.connector.ProviderResponse;
import io.aibroker.connector.TokenUsage;
import java.util.List;
import org.junit.jupiter.api.Test;

class WorkersAiJsonTest {

  @Test
  void jsonModeReplyObjectsArePassedOnAsJsonText() throws Exception {
    ProviderResponse response =
        WorkersAiJson.chatResponse(
            WorkersAiJson.parse("{\"result\":{\"response\":{\"a\":1}},\"success\":true}"), null);

    assertThat(response.text()).isEqualTo("{\"a\":1}");
    assertThat(response.usage()).isEqualTo(TokenUsage.ZERO);
  }

  @Test
  void openAiShapedRepliesOnTheNativeEndpointAreRead() throws Exception {
    ProviderResponse response =
        WorkersAiJson.chatResponse(
            WorkersAiJson.parse(
                "{\"result\":{\"choices\":[{\"message\":{\"content\":\"hi\"},"
                    + "\"finish_reason\":\"length\"}],"
                    + "\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":4}},\"success\":true}"),
            null);

    assertThat(response.text()).isEqualTo("hi");
    assertThat(response.finishReason()).isEqualTo(ProviderResponse.FINISH_LENGTH);
    assertThat(response.usage()).isEqualTo(new TokenUsage(3, 4));
  }

  @Test
  void nativeRepliesWithoutAFinishReasonStopUnlessTheyUsedUpMaxTokens() throws Exception {
    String reply =
        "{\"result\":{\"response\":\"hi\",\"usage\":{\"prompt_tokens\":3,"
            + "\"completion_tokens\":8}},\"success\":true}";

    assertThat(WorkersAiJson.chatResponse(WorkersAiJson.parse(reply), null).finishReason())
        .isEqualTo(ProviderResponse.FINISH_STOP);
    assertThat(WorkersAiJson.chatResponse(WorkersAiJson.parse(reply), 9).finishReason())
        .isEqualTo(ProviderResponse.FINISH_STOP);
    assertThat(WorkersAiJson.chatResponse(WorkersAiJson.parse(reply), 8).finishReason())
        .isEqualTo(ProviderResponse.FINISH_LENGTH);
  }

  @Test
  void cachedAndReasoningTokensAreReadFromTheOpenAiShapedDetails() throws Exception {
    TokenUsage usage =
        WorkersAiJson.usage(
            WorkersAiJson.parse(
                "{\"prompt_tokens\":1500,\"completion_tokens\":500,"
                    + "\"prompt_tokens_details\":{\"cached_tokens\":1000},"
                    + "\"completion_tokens_details\":{\"reasoning_tokens\":120}}"));

    assertThat(usage).isEqualTo(new TokenUsage(1_500, 500, 1_000, 0, 0, 120));
  }

  @Test
  void cachedTokensBeyondThePromptAreMalformed() {
    assertThatThrownBy(
            () ->
                WorkersAiJson.usage(
                    WorkersAiJson.parse(
                        "{\"prompt_tokens\":5,\"completion_tokens\":1,"
                            + "\"prompt_tokens_details\":{\"cached_tokens\":6}}")))
        .isInstanceOf(WorkersAiJson.Malformed.class);
  }

  @Test
  void malformedMessagesNeverQuoteTheBody() {
    assertThatThrownBy(() -> WorkersAiJson.parse("{\"result\":{\"response\":\"tenant secret"))
        .isInstanceOf(WorkersAiJson.Malformed.class)
        .hasMessageNotContaining("tenant secret");
    assertThatThrownBy(
            () -> WorkersAiJson.chatResponse(WorkersAiJson.parse("{\"result\":{}}"), null))
        .isInstanceOf(WorkersAiJson.Malformed.class);
  }

  @Test
  void embeddingsMustMatchTheInputs() {
    assertThatThrownBy(
            () ->
                WorkersAiJson.embedResponse(
                    WorkersAiJson.parse("{\"result\":{\"data\":[[1.0]]}}"), List.of("a", "b")))
        .hasMessageContaining("1 vectors for 2 inputs");
  }

  @Test
  void estimateCountsAboutFourCharactersPerTokenAndAtLeastOnePerInput() {
    assertThat(WorkersAiJson.estimateTokens(List.of("", "a", "abcd", "abcde")))
        .isEqualTo(0 + 1 + 1 + 2);
  }
}
