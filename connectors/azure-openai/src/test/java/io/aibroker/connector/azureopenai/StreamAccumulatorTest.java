package io.aibroker.connector.azureopenai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.ai.openai.OpenAIServiceVersion;
import com.azure.ai.openai.models.ChatCompletions;
import com.azure.core.util.BinaryData;
import io.aibroker.connector.ProviderResponse;
import io.aibroker.connector.ProviderServerException;
import io.aibroker.connector.TextDelta;
import io.aibroker.connector.TokenUsage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StreamAccumulatorTest {

  private final List<TextDelta> deltas = new ArrayList<>();

  @Test
  void collectsTextFinishReasonAndTheTrailingUsage() {
    StreamAccumulator stream =
        new StreamAccumulator(deltas::add, OpenAIServiceVersion.V2025_01_01_PREVIEW);

    stream.accept(chunk("[]", null));
    stream.accept(chunk(choice(0, "\"Hel\"", null), null));
    stream.accept(chunk(choice(0, "\"lo\"", null), null));
    stream.accept(chunk(choice(0, null, "\"length\""), null));
    stream.accept(chunk("[]", "{\"prompt_tokens\":3,\"completion_tokens\":2,\"total_tokens\":5}"));
    ProviderResponse response = stream.finish();

    assertThat(deltas).containsExactly(new TextDelta(0, "Hel"), new TextDelta(1, "lo"));
    assertThat(response.text()).isEqualTo("Hello");
    assertThat(response.finishReason()).isEqualTo(ProviderResponse.FINISH_LENGTH);
    assertThat(response.usage()).isEqualTo(new TokenUsage(3, 2));
  }

  @Test
  void choicesOtherThanTheFirstAreIgnored() {
    StreamAccumulator stream =
        new StreamAccumulator(deltas::add, OpenAIServiceVersion.V2025_01_01_PREVIEW);

    stream.accept(chunk(choice(1, "\"other\"", null), null));

    assertThat(deltas).isEmpty();
  }

  @Test
  void withoutUsageItFailsRetryablyEvenWithText() {
    StreamAccumulator stream =
        new StreamAccumulator(deltas::add, OpenAIServiceVersion.V2025_01_01_PREVIEW);
    stream.accept(chunk(choice(0, "\"Hi\"", "\"stop\""), null));

    assertThatThrownBy(stream::finish)
        .isInstanceOf(ProviderServerException.class)
        .hasMessageContaining("stream ended without usage after 1 deltas (incomplete stream)");
  }

  @Test
  void missingUsageOnAnOldApiVersionSaysWhichVersionToUse() {
    StreamAccumulator stream = new StreamAccumulator(deltas::add, OpenAIServiceVersion.V2024_06_01);

    assertThatThrownBy(stream::finish)
        .hasMessageContaining("api-version 2024-06-01 does not report usage on streams")
        .hasMessageContaining("2024-09-01-preview or later");
  }

  private static ChatCompletions chunk(String choices, String usage) {
    String json =
        "{\"id\":\"c\",\"created\":1,\"choices\":"
            + choices
            + (usage == null ? "" : ",\"usage\":" + usage)
            + "}";
    return BinaryData.fromString(json).toObject(ChatCompletions.class);
  }

  private static String choice(int index, String content, String finishReason) {
    return "[{\"index\":"
        + index
        + ",\"delta\":{"
        + (content == null ? "" : "\"content\":" + content)
        + "},\"finish_reason\":"
        + finishReason
        + "}]";
  }
}
