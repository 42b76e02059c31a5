package io.aibroker.serde;

import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * A hand-written stand-in for an Avro-generated class: version 2 of the Greeting schema, which
 * added {@code language} with a default.
 */
public class TestGreeting extends SpecificRecordBase {

  public static final Schema SCHEMA$ = new Schema.Parser().parse(TestSchemas.GREETING_V2_JSON);

  private String id;
  private int count;
  private String language;

  public TestGreeting() {}

  public TestGreeting(String id, int count, String language) {
    this.id = id;
    this.count = count;
    this.language = language;
  }

  public String getId() {
    return id;
  }

  public int getCount() {
    return count;
  }

  public String getLanguage() {
    return language;
  }

  @Override
  public Schema getSchema() {
    return SCHEMA$;
  }

  @Override
  public Object get(int field) {
    return switch (field) {
      case 0 -> id;
      case 1 -> count;
      case 2 -> language;
      default -> throw new IndexOutOfBoundsException(field);
    };
  }

  @Override
  public void put(int field, Object value) {
    switch (field) {
      case 0 -> id = value == null ? null : value.toString();
      case 1 -> count = (Integer) value;
      case 2 -> language = value == null ? null : value.toString();
      default -> throw new IndexOutOfBoundsException(field);
    }
  }
}
