package io.aibroker.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.aibroker.topics.Topics;
import org.junit.jupiter.api.Test;

class ReplyToRulesTest {

  private final ReplyToRules rules = new ReplyToRules(Topics.defaults(), "aibroker-broker");

  @Test
  void acceptsClientReplyTopicsAndTopicsOutsideAibroker() {
    assertThat(rules.check("aibroker.replies.client-1")).isEmpty();
    assertThat(rules.check("orders.results")).isEmpty();
    assertThat(rules.check(null)).isEmpty();
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
      assertThat(rules.check(topic))
          .as(topic)
          .hasValueSatisfying(r -> assertThat(r.message()).contains("internal topic"));
    }
  }
}
