package io.aibroker.app.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.function.BiConsumer;
import org.apache.avro.generic.GenericEnumSymbol;
import org.apache.avro.generic.GenericRecord;

/**
 * Renders Avro records as plain JSON for people and scripts: timestamps as ISO-8601, money as
 * decimal numbers, optional fields without their union wrappers, absent values omitted.
 */
public final class RecordJson {

  // Plain notation: a budget of 25 prints as 25, not 2.5E+1.
  private static final ObjectMapper JSON =
      JsonMapper.builder().enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN).build();

  static {
    JSON.getFactory().setCharacterEscapes(new TerminalSafeEscapes());
  }

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private RecordJson() {}

  /** The record as one line of JSON. */
  public static String toJson(GenericRecord record) {
    try {
      return JSON.writeValueAsString(node(record));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The records as one JSON array on one line. */
  public static String toJsonArray(Collection<? extends GenericRecord> records) {
    var array = NODES.arrayNode();
    records.forEach(r -> array.add(node(r)));
    try {
      return JSON.writeValueAsString(array);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The records as one JSON array on one line, each object completed by {@code derived} with fields
   * computed from its record (e.g. a difference of two of its amounts).
   */
  public static <R extends GenericRecord> String toJsonArray(
      Collection<R> records, BiConsumer<R, ObjectNode> derived) {
    var array = NODES.arrayNode();
    for (R record : records) {
      ObjectNode object = recordNode(record);
      derived.accept(record, object);
      array.add(object);
    }
    try {
      return JSON.writeValueAsString(array);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static JsonNode node(Object value) {
    return switch (value) {
      case null -> NODES.nullNode();
      case GenericRecord record -> recordNode(record);
      case CharSequence text -> NODES.textNode(text.toString());
      case Instant instant -> NODES.textNode(instant.toString());
      case BigDecimal decimal -> NODES.numberNode(decimal.stripTrailingZeros());
      case Integer i -> NODES.numberNode(i);
      case Long l -> NODES.numberNode(l);
      case Float f -> NODES.numberNode(f);
      case Double d -> NODES.numberNode(d);
      case Boolean b -> NODES.booleanNode(b);
      case Enum<?> e -> NODES.textNode(e.name());
      case GenericEnumSymbol<?> e -> NODES.textNode(e.toString());
      case Map<?, ?> map -> mapNode(map);
      case Collection<?> list -> {
        var array = NODES.arrayNode();
        list.forEach(item -> array.add(node(item)));
        yield array;
      }
      default -> NODES.textNode(value.toString());
    };
  }

  private static ObjectNode recordNode(GenericRecord record) {
    ObjectNode object = NODES.objectNode();
    for (var field : record.getSchema().getFields()) {
      Object value = record.get(field.pos());
      if (value != null) {
        object.set(field.name(), node(value));
      }
    }
    return object;
  }

  /**
   * JSON's own escapes, plus <code>&#92;u00XX</code> for DEL and the C1 controls, which JSON allows
   * raw but a terminal may obey: this JSON is printed to terminals too.
   */
  private static final class TerminalSafeEscapes extends CharacterEscapes {
    private static final long serialVersionUID = 1L;
    private final int[] ascii = CharacterEscapes.standardAsciiEscapesForJSON();

    TerminalSafeEscapes() {
      ascii[0x7F] = CharacterEscapes.ESCAPE_STANDARD;
    }

    @Override
    public int[] getEscapeCodesForAscii() {
      return ascii;
    }

    @Override
    public SerializableString getEscapeSequence(int ch) {
      return ch >= 0x80 && ch <= 0x9F ? new SerializedString(String.format("\\u%04x", ch)) : null;
    }
  }

  private static ObjectNode mapNode(Map<?, ?> map) {
    ObjectNode object = NODES.objectNode();
    map.forEach((k, v) -> object.set(String.valueOf(k), node(v)));
    return object;
  }
}
