package io.aibroker.broker;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Keeps a global store equal to its compacted topic: puts values, deletes on tombstones. Used for
 * tenant policies, provider health, the shared cache and prices, which every task reads and which
 * change live; {@code onChange} hears of every put and delete (the prices table's readers rebuild
 * their catalog then).
 */
final class TableLoader<V> implements Processor<String, V, Void, Void> {

  private final String storeName;
  private final Runnable onChange;
  private KeyValueStore<String, V> store;

  TableLoader(String storeName) {
    this(storeName, () -> {});
  }

  TableLoader(String storeName, Runnable onChange) {
    this.storeName = storeName;
    this.onChange = onChange;
  }

  @Override
  public void init(ProcessorContext<Void, Void> context) {
    store = context.getStateStore(storeName);
  }

  @Override
  public void process(Record<String, V> record) {
    if (record.key() == null) {
      return;
    }
    if (record.value() == null) {
      store.delete(record.key());
    } else {
      store.put(record.key(), record.value());
    }
    onChange.run();
  }
}
