package io.aibroker.broker;

import static io.aibroker.broker.TestRequests.chat;
import static org.assertj.core.api.Assertions.assertThat;

import io.aibroker.records.InferenceRequest;
import io.aibroker.records.OverLimitAction;
import io.aibroker.records.UsageEvent;
import io.aibroker.records.internal.IdempotencyEntry;
import io.aibroker.records.internal.InFlightRequest;
import io.aibroker.records.internal.TenantUsage;
import io.aibroker.records.internal.WaiterList;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * No record the broker writes can outgrow the largest record it may write because of what a tenant
 * sends: each store's worst case, built from requests at every size limit, serialized.
 */
class StoreRecordSizeTest {

  private static final int LIMIT = BrokerConfig.CARRIER_MAX_MESSAGE_BYTES;

  private BrokerHarness broker =
      new BrokerHarness(TenantDefaults.unlimited(), Set.of(), Tenancy.defaults());

  @AfterEach
  void close() {
    broker.close();
  }

  @Test
  void twentyIdenticalLargestRequestsKeepTheWaiterListSmall() {
    for (int i = 0; i < 20; i++) {
      broker.send(largest("r" + i, "same"));
    }

    WaiterList waiting = this.<WaiterList>store(BrokerStores.WAITERS).get("r0");
    assertThat(waiting.getWaiters()).isNotEmpty();
    assertThat(bytes(WaiterList.class, waiting)).isLessThan(LIMIT / 4);
  }

  @Test
  void aFullQueueOfLargestRequestsFitsInTheUsageRecord() {
    broker.close();
    broker =
        new BrokerHarness(
            new TenantDefaults(
                null,
                null,
                1,
                null,
                null,
                OverLimitAction.QUEUE,
                Duration.ofHours(1),
                Duration.ofHours(24),
                10_000),
            Set.of(),
            Tenancy.defaults());
    for (int i = 0; i < 30; i++) {
      broker.send(largest("r" + i, "prompt " + i));
    }

    TenantUsage usage = this.<TenantUsage>store(BrokerStores.USAGE).get("acme");
    assertThat(usage.getQueued()).hasSizeGreaterThan(1);
    assertThat(broker.results.readValuesToList()).isNotEmpty(); // the rest refused: queue full
    assertThat(bytes(TenantUsage.class, usage)).isLessThan(LIMIT);
  }

  @Test
  void theInFlightAndIdempotencyRecordsOfALargestRequestFit() {
    broker.send(largest("r1", "prompt"));
    InFlightRequest inFlight = this.<InFlightRequest>store(BrokerStores.IN_FLIGHT).get("r1");
    assertThat(bytes(InFlightRequest.class, inFlight)).isLessThan(LIMIT);

    broker.succeed(broker.dispatch.readValue(), 10, 20);
    InFlightRequest done = this.<InFlightRequest>store(BrokerStores.IN_FLIGHT).get("r1");
    assertThat(done.getFinalResult()).as("its idempotency entry now").isNotNull();
    assertThat(bytes(InFlightRequest.class, done)).isLessThan(LIMIT / 4);

    InferenceRequest keyed = largest("r2", "other");
    keyed.setIdempotencyKey("order-7");
    broker.send(keyed);
    broker.succeed(broker.dispatch.readValue(), 10, 20);
    IdempotencyEntry entry =
        this.<IdempotencyEntry>store(BrokerStores.IDEMPOTENCY).get("acme\u0000order-7");
    assertThat(entry.getFinalResult()).isNotNull();
    assertThat(bytes(IdempotencyEntry.class, entry)).isLessThan(LIMIT / 4);
  }

  @Test
  void aUsageEventOfARequestWithTheLargestTagsFits() {
    broker.send(largest("r1", "prompt"));
    broker.succeed(broker.dispatch.readValue(), 10, 20);

    UsageEvent event = broker.usage.readValue();
    assertThat(bytes(UsageEvent.class, event)).isLessThan(LIMIT / 4);
  }

  /** A request at the prompt and attribute limits (1 MiB of prompt, 64 KiB of tags+metadata). */
  private static InferenceRequest largest(String id, String distinct) {
    int promptBytes = RequestLimits.defaults().maxPromptBytes() - distinct.length();
    Map<String, String> tags = new HashMap<>();
    Map<String, String> metadata = new HashMap<>();
    int half = RequestLimits.DEFAULT_MAX_ATTRIBUTE_BYTES / 2;
    tags.put("t", "v".repeat(half - 2));
    metadata.put("m", "w".repeat(half - 2));
    return chat(id, "acme", distinct + "p".repeat(promptBytes))
        .setTags(tags)
        .setMetadata(metadata)
        .build();
  }

  private <V> KeyValueStore<String, V> store(String name) {
    return broker.driver.getKeyValueStore(name);
  }

  private <V extends org.apache.avro.specific.SpecificRecord> int bytes(Class<V> type, V value) {
    return broker
        .serdes()
        .of(type)
        .serializer()
        .serialize("size-check-" + type.getSimpleName(), value)
        .length;
  }
}
