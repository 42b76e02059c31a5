package io.aibroker.serde;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/** Schemas used across the serde tests, parsed at runtime. */
final class TestSchemas {

  static final String GREETING_V1_JSON =
      """
      {"type": "record", "name": "TestGreeting", "namespace": "io.aibroker.serde", "fields": [
        {"name": "id", "type": {"type": "string", "avro.java.string": "String"}},
        {"name": "count", "type": "int"}
      ]}""";

  static final String GREETING_V2_JSON =
      """
      {"type": "record", "name": "TestGreeting", "namespace": "io.aibroker.serde", "fields": [
        {"name": "id", "type": {"type": "string", "avro.java.string": "String"}},
        {"name": "count", "type": "int"},
        {"name": "language", "type": {"type": "string", "avro.java.string": "String"},
         "default": "en"}
      ]}""";

  /** Adds a field without a default: not BACKWARD compatible with v1. */
  static final String GREETING_V3_INCOMPATIBLE_JSON =
      """
      {"type": "record", "name": "TestGreeting", "namespace": "io.aibroker.serde", "fields": [
        {"name": "id", "type": "string"},
        {"name": "count", "type": "int"},
        {"name": "mandatory", "type": "long"}
      ]}""";

  static final String OTHER_RECORD_JSON =
      """
      {"type": "record", "name": "Unrelated", "namespace": "io.aibroker.other", "fields": [
        {"name": "amount", "type": "double"}
      ]}""";

  static final String TAGS_JSON =
      """
      {"type": "record", "name": "Tagged", "namespace": "io.aibroker.serde", "fields": [
        {"name": "name", "type": "string"},
        {"name": "tags", "type": {"type": "array", "items": "string"}}
      ]}""";

  static final Schema GREETING_V1 = parse(GREETING_V1_JSON);
  static final Schema GREETING_V2 = parse(GREETING_V2_JSON);
  static final Schema GREETING_V3_INCOMPATIBLE = parse(GREETING_V3_INCOMPATIBLE_JSON);
  static final Schema OTHER_RECORD = parse(OTHER_RECORD_JSON);
  static final Schema TAGS = parse(TAGS_JSON);

  private TestSchemas() {}

  static Schema parse(String json) {
    return new Schema.Parser().parse(json);
  }

  static GenericRecord greetingV1(String id, int count) {
    GenericRecord record = new GenericData.Record(GREETING_V1);
    record.put("id", id);
    record.put("count", count);
    return record;
  }

  static GenericRecord greetingV2(String id, int count, String language) {
    GenericRecord record = new GenericData.Record(GREETING_V2);
    record.put("id", id);
    record.put("count", count);
    record.put("language", language);
    return record;
  }
}
