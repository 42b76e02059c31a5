package io.aibroker.app.http;

import java.util.HashMap;
import java.util.Map;

/**
 * Consumer settings of the HTTP API's topic followers ({@link AllowedModelsReader}, {@link
 * UsageViewReader}): plain consumers that read a whole topic without a group and commit nothing.
 */
final class TopicReaderProperties {

  private TopicReaderProperties() {}

  /**
   * The process's client settings, as a group-less committed-only reader named {@code clientId}.
   */
  static Map<String, Object> of(Map<String, Object> client, String clientId) {
    Map<String, Object> props = new HashMap<>(client);
    props.remove("group.id");
    props.put("client.id", clientId);
    props.put("enable.auto.commit", false);
    props.put("auto.offset.reset", "earliest");
    props.put("isolation.level", "read_committed");
    // A reader must never create the topic it looks for: it would lack its compaction or retention.
    props.put("allow.auto.create.topics", false);
    return props;
  }
}
