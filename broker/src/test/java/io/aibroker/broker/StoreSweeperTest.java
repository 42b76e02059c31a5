package io.aibroker.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class StoreSweeperTest {

  private KeyValueStore<String, Long> store;

  @BeforeEach
  void setUp() {
    store =
        Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore("s"), Serdes.String(), Serdes.Long())
            .withLoggingDisabled()
            .build();
    MockProcessorContext<Object, Object> context = new MockProcessorContext<>();
    store.init(context.getStateStoreContext(), store);
  }

  private void fill(int count, long value) {
    for (int i = 0; i < count; i++) {
      store.put(String.format("k%04d", i), value);
    }
  }

  private List<String> keys() {
    List<String> keys = new ArrayList<>();
    try (var all = store.all()) {
      all.forEachRemaining(e -> keys.add(e.key));
    }
    return keys;
  }

  @Test
  void eachSweepLooksAtNoMoreThanItsBudget() {
    fill(10, 1L); // all expired
    StoreSweeper<Long> sweeper = new StoreSweeper<>(store, v -> v == 1L, 3);

    assertThat(sweeper.sweep()).isEqualTo(3);
    assertThat(keys()).hasSize(7);
  }

  @Test
  void sweepsGoOnWhereTheLastStoppedAndWrapAround() {
    fill(10, 0L); // nothing expired
    store.put("k0001", 1L);
    store.put("k0008", 1L);
    StoreSweeper<Long> sweeper = new StoreSweeper<>(store, v -> v == 1L, 4);

    assertThat(sweeper.sweep()).as("k0000..k0003").isEqualTo(1);
    assertThat(sweeper.sweep()).as("k0004..k0007").isZero();
    assertThat(sweeper.sweep()).as("k0008, k0009, then the end").isEqualTo(1);
    store.put("k0002", 1L);
    assertThat(sweeper.sweep()).as("from the start again").isEqualTo(1);
    assertThat(keys()).hasSize(7).doesNotContain("k0001", "k0002", "k0008");
  }

  @Test
  void aSweepOfAnEmptyStoreDeletesNothing() {
    assertThat(new StoreSweeper<Long>(store, v -> true, 5).sweep()).isZero();
  }

  @Test
  void aBusyTaskLooksAtTwiceTheEntriesAddedSinceTheLastSweep() {
    fill(1_000, 1L); // all expired
    StoreSweeper<Long> sweeper = new StoreSweeper<>(store, v -> v == 1L, 500);

    assertThat(sweeper.sweep(60)).isEqualTo(120);
    assertThat(sweeper.sweep(10)).as("no fewer than the minimum").isEqualTo(StoreSweeper.MIN_SLICE);
    assertThat(sweeper.sweep(1_000)).as("no more than the budget").isEqualTo(500);
    assertThat(sweeper.sweep(0)).as("idle: the whole budget").isEqualTo(280);
  }
}
