package io.aibroker.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.aibroker.records.ChatMessage;
import io.aibroker.records.InferenceRequest;
import io.aibroker.registry.InMemorySchemaRegistryClient;
import io.aibroker.schemas.RecordSerdes;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RequestSizesTest {

  @Test
  void countsUtf8BytesWithoutEncoding() {
    assertThat(RequestSizes.utf8Length("abc")).isEqualTo(3);
    assertThat(RequestSizes.utf8Length("é")).isEqualTo(2);
    assertThat(RequestSizes.utf8Length("€")).isEqualTo(3);
    assertThat(RequestSizes.utf8Length("😀")).isEqualTo(4);
  }

  @Test
  void theEstimateIsNeverBelowTheSerializedSize() {
    InferenceRequest request =
        InferenceRequest.newBuilder(
                TestRequests.chat("r1", "acme", "héllo 😀 ".repeat(1000)).build())
            .setMessages(
                List.of(
                    new ChatMessage("system", "be brief", null),
                    new ChatMessage("user", "€".repeat(5000), null)))
            .setTags(Map.of("team", "search", "k".repeat(100), "v".repeat(100)))
            .setMetadata(Map.of("trace", "abc"))
            .setReplyTo("aibroker.replies.acme")
            .build();
    int serialized =
        new RecordSerdes(new InMemorySchemaRegistryClient())
            .requests()
            .serializer()
            .serialize("t", request)
            .length;

    assertThat(RequestSizes.estimate(request)).isGreaterThanOrEqualTo(serialized);
    assertThat(RequestSizes.estimate(request)).isLessThan(serialized + 1_000);
  }
}
