package io.aibroker.workers;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Which record a delivery is of: its topic, partition and offset. Deliveries of the same record (a
 * renewal coming back, a redelivery) have the same key.
 */
record RecordKey(String topic, int partition, long offset) {

  static RecordKey of(ConsumerRecord<?, ?> record) {
    return new RecordKey(record.topic(), record.partition(), record.offset());
  }

  @Override
  public String toString() {
    return topic + "-" + partition + "@" + offset;
  }
}
