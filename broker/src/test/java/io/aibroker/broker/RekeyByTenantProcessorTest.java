package io.aibroker.broker;

import static io.aibroker.broker.TestRequests.chat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aibroker.records.InferenceRequest;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RekeyByTenantProcessorTest {

  private final MockProcessorContext<String, Object> context = new MockProcessorContext<>();
  private final RekeyByTenantProcessor processor = new RekeyByTenantProcessor();

  @BeforeEach
  void init() {
    processor.init(context);
  }

  @Test
  void forwardsARequestKeyedByItsTenantStraightToAdmission() {
    InferenceRequest request = chat("r1", "acme", "hi").build();

    processor.process(new Record<>("acme", request, 0L));

    var forwarded = context.forwarded().getFirst();
    assertThat(forwarded.childName()).hasValue(NodeNames.ADMIT);
    assertThat(forwarded.record().key()).isEqualTo("acme");
  }

  @Test
  void sendsARequestKeyedOtherwiseThroughTheByTenantTopicKeyedByTenant() {
    InferenceRequest request = chat("r1", "acme", "hi").build();

    processor.process(new Record<>("some-uuid", request, 0L));

    var forwarded = context.forwarded().getFirst();
    assertThat(forwarded.childName()).hasValue(NodeNames.REQUESTS_BY_TENANT_SINK);
    assertThat(forwarded.record().key()).isEqualTo("acme");
  }

  @Test
  void reKeysARequestKeyedByItsTenantButOnAnotherPartitionThanJavasPartitionerGivesIt() {
    var props = new java.util.Properties();
    props.put(BrokerConfig.REQUEST_PARTITIONS_CONFIG, "6");
    var partitioned = new MockProcessorContext<String, Object>(props);
    var rekey = new RekeyByTenantProcessor();
    rekey.init(partitioned);
    int javas =
        org.apache.kafka.common.utils.Utils.toPositive(
                org.apache.kafka.common.utils.Utils.murmur2("acme".getBytes()))
            % 6;
    InferenceRequest request = chat("r1", "acme", "hi").build();

    partitioned.setRecordMetadata("aibroker.requests", (javas + 1) % 6, 0L);
    rekey.process(new Record<>("acme", request, 0L));
    partitioned.setRecordMetadata("aibroker.requests", javas, 1L);
    rekey.process(new Record<>("acme", request, 0L));

    assertThat(partitioned.forwarded())
        .extracting(f -> f.childName().orElseThrow())
        .containsExactly(NodeNames.REQUESTS_BY_TENANT_SINK, NodeNames.ADMIT);
  }

  @Test
  void refusesTombstonesSoTheyReachTheDeadLetterQueue() {
    assertThatThrownBy(() -> processor.process(new Record<>("acme", null, 0L)))
        .isInstanceOf(UnprocessableRecordException.class)
        .hasMessageContaining("tombstone");

    assertThat(context.forwarded()).isEmpty();
  }
}
