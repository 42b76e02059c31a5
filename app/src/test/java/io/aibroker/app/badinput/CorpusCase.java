package io.aibroker.app.badinput;

import java.util.List;

/**
 * One kind of bad input: the records that carry it and how they must end. Records of Avro-valid
 * requests carry {@code metadata["corpus-case"] = id} (echoed on their result); the others carry a
 * {@code corpus-case} header and/or the id as key, which the DLQ record keeps.
 *
 * @param id unique case id
 * @param kind what is wrong with the input, for the report
 * @param sender the client that sends it
 * @param records what is sent, in order
 * @param expected how it must end
 */
record CorpusCase(String id, String kind, Sender sender, List<Send> records, Expected expected) {

  /**
   * One record to send.
   *
   * @param topic the topic
   * @param key raw key bytes, or null
   * @param value raw value bytes, or null for a tombstone
   */
  record Send(String topic, byte[] key, byte[] value) {}

  static CorpusCase of(
      String id, String kind, Sender sender, String topic, byte[] key, byte[] value, Expected e) {
    return new CorpusCase(id, kind, sender, List.of(new Send(topic, key, value)), e);
  }
}
