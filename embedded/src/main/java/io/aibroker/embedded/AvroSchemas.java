package io.aibroker.embedded;

import org.apache.avro.Schema;

/** Parsing and normal form of Avro schemas as the registry stores them. */
final class AvroSchemas {
  private AvroSchemas() {}

  /**
   * Parses a schema with a fresh parser, as names defined by one schema must not leak into the
   * next.
   *
   * @throws RuntimeException (Avro's {@code SchemaParseException} and others) when invalid
   */
  static Schema parse(String schema) {
    return new Schema.Parser().parse(schema);
  }

  /**
   * Avro's compact JSON of the parsed schema: the registry's identity of a schema, so that
   * whitespace and key order do not create new ids, as in Confluent's registry.
   */
  static String canonical(String schema) {
    return parse(schema).toString();
  }
}
