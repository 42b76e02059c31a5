package io.aibroker.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.aibroker.records.internal.Waiter;
import io.aibroker.records.internal.WaiterList;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;

class WaitingRoomTest {

  private final RuleFixture fixture = new RuleFixture();
  private final AtomicInteger deletes = new AtomicInteger();

  /** The fixture's waiters store, counting deletes (each one a changelog record). */
  @SuppressWarnings("unchecked")
  private final KeyValueStore<String, WaiterList> counted =
      (KeyValueStore<String, WaiterList>)
          Proxy.newProxyInstance(
              getClass().getClassLoader(),
              new Class<?>[] {KeyValueStore.class},
              (proxy, method, args) -> {
                if (method.getName().equals("delete")) {
                  deletes.incrementAndGet();
                }
                return method.invoke(fixture.waiters, args);
              });

  private final WaitingRoom room = new WaitingRoom(Tenancy.defaults(), counted, fixture.usage);

  @Test
  void releasingALeaderNobodyWaitsForWritesNoTombstone() {
    assertThat(room.release("leader-1")).isEmpty();

    assertThat(deletes).hasValue(0);
  }

  @Test
  void releasingALeaderHandsBackItsWaitersAndForgetsThem() {
    Waiter waiter =
        Waiter.newBuilder()
            .setRequest(TestRequests.chat("r2", "acme", "hello").build())
            .setCoalesced(true)
            .build();
    fixture.waiters.put("leader-1", new WaiterList(List.of(waiter)));

    assertThat(room.release("leader-1")).containsExactly(waiter);
    assertThat(fixture.waiters.get("leader-1")).isNull();
    assertThat(deletes).hasValue(1);
  }
}
