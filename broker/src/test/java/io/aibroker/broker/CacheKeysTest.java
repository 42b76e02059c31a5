package io.aibroker.broker;

import static io.aibroker.broker.TestRequests.chat;
import static io.aibroker.broker.TestRequests.params;
import static org.assertj.core.api.Assertions.assertThat;

import io.aibroker.records.CacheOptions;
import io.aibroker.records.ChatMessage;
import io.aibroker.records.InferenceRequest;
import io.aibroker.records.Task;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Content keys: what they depend on, and the scope that keeps tenants apart. */
class CacheKeysTest {

  private static String key(InferenceRequest request) {
    return CacheKeys.of(request, "chat-default", false);
  }

  private static InferenceRequest named(String tenant, String text, String name) {
    return chat("r1", tenant, text)
        .setCache(CacheOptions.newBuilder().setKey(name).build())
        .build();
  }

  @Test
  void theKeyIsAHexSha256OfTheContentNotOfTheIds() {
    String key = key(chat("r1", "acme", "hello").build());

    assertThat(key).hasSize(64).matches("[0-9a-f]+");
    assertThat(key(chat("r2", "acme", "hello").setUserId("u").build())).isEqualTo(key);
  }

  @Test
  void contentModelTaskAndParametersAllMatter() {
    String key = key(chat("r1", "acme", "hello").build());

    assertThat(key(chat("r1", "acme", "hello!").build())).isNotEqualTo(key);
    assertThat(CacheKeys.of(chat("r1", "acme", "hello").build(), "other-model", false))
        .isNotEqualTo(key);
    assertThat(key(chat("r1", "acme", "hello").setTask(Task.EMBED).build())).isNotEqualTo(key);
    assertThat(key(chat("r1", "acme", "hello").setParams(params(10, null, null)).build()))
        .isNotEqualTo(key);
    assertThat(
            key(
                chat("r1", "acme", "x")
                    .setMessages(List.of(new ChatMessage("system", "hello", null)))
                    .build()))
        .isNotEqualTo(key);
  }

  @Test
  void partsAreLengthPrefixedSoShiftingTextBetweenThemChangesTheKey() {
    InferenceRequest ab =
        chat("r1", "acme", "")
            .setMessages(
                List.of(new ChatMessage("user", "ab", null), new ChatMessage("user", "c", null)))
            .build();
    InferenceRequest bc =
        chat("r1", "acme", "")
            .setMessages(
                List.of(new ChatMessage("user", "a", null), new ChatMessage("user", "bc", null)))
            .build();

    assertThat(key(ab)).isNotEqualTo(key(bc));
  }

  @Test
  void tenantsHaveKeysOfTheirOwnUnlessBothShare() {
    InferenceRequest acme = chat("r1", "acme", "hello").build();
    InferenceRequest globex = chat("r1", "globex", "hello").build();

    assertThat(key(acme)).isNotEqualTo(key(globex));
    assertThat(CacheKeys.of(acme, "chat-default", true))
        .isEqualTo(CacheKeys.of(globex, "chat-default", true))
        .isNotEqualTo(key(acme));
  }

  @Test
  void anExplicitKeyNamesTheEntryInsideTheTenantsScopeEvenWhenItShares() {
    assertThat(CacheKeys.explicit(named("acme", "x", "faq-1"))).isTrue();
    assertThat(CacheKeys.explicit(chat("r1", "acme", "x").build())).isFalse();

    assertThat(key(named("acme", "one text", "faq-1")))
        .isEqualTo(key(named("acme", "other", "faq-1")));
    assertThat(CacheKeys.of(named("acme", "x", "faq-1"), "chat-default", true))
        .isEqualTo(key(named("acme", "x", "faq-1")))
        .isNotEqualTo(CacheKeys.of(named("globex", "x", "faq-1"), "chat-default", true));
  }
}
