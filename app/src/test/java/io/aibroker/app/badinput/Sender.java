package io.aibroker.app.badinput;

/** Which client sent a corpus record. */
enum Sender {
  /** KafkaProducer with raw byte[] keys and values. */
  JAVA,
  /** kcat -P, one file per record. */
  KCAT,
  /** Debian's python3-confluent-kafka (AvroProducer and the plain Producer). */
  PYTHON
}
