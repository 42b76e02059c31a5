package io.aibroker.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.aibroker.topics.Topics;
import org.junit.jupiter.api.Test;

class ReplyToRulesTest {

  private final ReplyToRules rules = new ReplyToRules(Topics.defaults(), "aibroker-broker");

  @Test
  void acceptsClientReplyTopicsAndTopicsOutsideAibroker() {
    assertThat(rules.check("aibroker.replies.client-1", "acme")).isEmpty();
    assertThat(rules.check("orders.results", "acme")).isEmpty();
    assertThat(rules.check(null, "acme")).isEmpty();
  }

  @Test
  void refusesAibrokersOwnStreamsInternalAndKafkaInternalTopics() {
    for (String topic :
        new String[] {
          "aibroker.tenants",
          "aibroker.usage",
          "aibroker.results",
          "aibroker.dispatch.simulated",
          "aibroker-broker-aibroker.store.in-flight-changelog",
          "__consumer_offsets",
          "_schemas"
        }) {
      assertThat(rules.check(topic, "acme"))
          .as(topic)
          .hasValueSatisfying(r -> assertThat(r.message()).contains("internal topic"));
    }
  }

  @Test
  void withTenantTopicsOnlyAcceptsNothingButTheTenantsOwnReplyTopic() {
    var strict = new ReplyToRules(Topics.defaults(), "aibroker-broker", true);

    assertThat(strict.check("aibroker.replies.acme", "acme")).isEmpty();
    assertThat(strict.check(null, "acme")).isEmpty();
    for (String topic :
        new String[] {
          "aibroker.replies.globex", "aibroker.replies.acme.ui", "aibroker.replies.acm", "orders"
        }) {
      assertThat(strict.check(topic, "acme"))
          .as(topic)
          .hasValueSatisfying(
              r -> assertThat(r.message()).contains("not this tenant's reply topic"));
    }
    assertThat(strict.check("aibroker.tenants", "acme")).isPresent();
  }
}
