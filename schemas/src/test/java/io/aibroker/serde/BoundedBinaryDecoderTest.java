package io.aibroker.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.Encoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.util.Utf8;
import org.junit.jupiter.api.Test;

class BoundedBinaryDecoderTest {

  private static final Schema EVERYTHING =
      TestSchemas.parse(
          """
          {"type": "record", "name": "Everything", "namespace": "t", "fields": [
            {"name": "n", "type": "null"},
            {"name": "b", "type": "boolean"},
            {"name": "i", "type": "int"},
            {"name": "l", "type": "long"},
            {"name": "f", "type": "float"},
            {"name": "d", "type": "double"},
            {"name": "s", "type": "string"},
            {"name": "js", "type": {"type": "string", "avro.java.string": "String"}},
            {"name": "y", "type": "bytes"},
            {"name": "x", "type": {"type": "fixed", "name": "Four", "size": 4}},
            {"name": "e", "type": {"type": "enum", "name": "Color", "symbols": ["RED", "GREEN", "BLUE"]}},
            {"name": "a", "type": {"type": "array", "items": {"type": "record", "name": "Item",
              "fields": [{"name": "k", "type": "string"}, {"name": "v", "type": "long"}]}}},
            {"name": "m", "type": {"type": "map", "values": "int"}},
            {"name": "u", "type": ["null", "string", "long"]},
            {"name": "nested", "type": {"type": "array", "items": {"type": "array", "items": "int"}}}
          ]}""");

  /** Drops the collections and the union, so reading must skip them. */
  private static final Schema EVERYTHING_PROJECTED =
      TestSchemas.parse(
          """
          {"type": "record", "name": "Everything", "namespace": "t", "fields": [
            {"name": "i", "type": "int"},
            {"name": "s", "type": "string"},
            {"name": "extra", "type": "string", "default": "d"}
          ]}""");

  private final Random random = new Random(42);

  @Test
  void decodesEveryTypeLikeAvrosBinaryDecoder() throws IOException {
    for (int round = 0; round < 300; round++) {
      GenericRecord record = randomRecord();
      for (Function<ByteArrayOutputStream, Encoder> encoding : encodings()) {
        byte[] bytes = encode(record, encoding);

        assertThat(decodeBounded(bytes, EVERYTHING, EVERYTHING)).isEqualTo(record);
        assertThat(decodeBounded(bytes, EVERYTHING, EVERYTHING_PROJECTED))
            .isEqualTo(decodeAvro(bytes, EVERYTHING_PROJECTED));
      }
    }
  }

  @Test
  void decodesIntAndLongExtremes() throws IOException {
    for (long value :
        new long[] {
          0,
          -1,
          1,
          63,
          -64,
          64,
          Integer.MAX_VALUE,
          Integer.MIN_VALUE,
          Long.MAX_VALUE,
          Long.MIN_VALUE
        }) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      Encoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
      encoder.writeLong(value);
      encoder.writeInt((int) value);
      encoder.flush();
      byte[] bytes = out.toByteArray();
      BoundedBinaryDecoder decoder = BoundedBinaryDecoder.acquire(bytes, 0, bytes.length);
      try {
        assertThat(decoder.readLong()).isEqualTo(value);
        assertThat(decoder.readInt()).isEqualTo((int) value);
        assertThat(decoder.isEnd()).isTrue();
      } finally {
        decoder.release();
      }
    }
  }

  @Test
  void rejectsIntEncodingLongerThanFiveBytes() {
    byte[] bytes = {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x01};
    BoundedBinaryDecoder decoder = BoundedBinaryDecoder.acquire(bytes, 0, bytes.length);
    try {
      assertThatThrownBy(decoder::readInt)
          .isInstanceOf(IOException.class)
          .hasMessageContaining("invalid int encoding");
    } finally {
      decoder.release();
    }
  }

  @Test
  void readsOnlyTheGivenRange() {
    byte[] bytes = {99, 2, 99};
    BoundedBinaryDecoder decoder = BoundedBinaryDecoder.acquire(bytes, 1, 1);
    try {
      assertThatThrownBy(
              () -> {
                assertThat(decoder.readInt()).isEqualTo(1);
                decoder.readInt();
              })
          .isInstanceOf(EOFException.class);
    } finally {
      decoder.release();
    }
  }

  @Test
  void rejectsStringLongerThanRemainingBytes() {
    byte[] bytes = {10, 'a', 'b'};
    BoundedBinaryDecoder decoder = BoundedBinaryDecoder.acquire(bytes, 0, bytes.length);
    try {
      assertThatThrownBy(() -> decoder.readString(null))
          .isInstanceOf(EOFException.class)
          .hasMessage("Length 5 at offset 1 exceeds the 2 bytes remaining");
    } finally {
      decoder.release();
    }
  }

  @Test
  void rejectsInvalidUtf8InAStringInsteadOfReplacingIt() {
    // length 2 (zigzag 4), then 0xC3 0x28: a lead byte followed by a non-continuation byte
    byte[] bytes = {4, (byte) 0xC3, 0x28};
    for (boolean asUtf8 : new boolean[] {true, false}) {
      BoundedBinaryDecoder decoder = BoundedBinaryDecoder.acquire(bytes, 0, bytes.length);
      try {
        assertThatThrownBy(() -> readString(decoder, asUtf8))
            .isInstanceOf(IOException.class)
            .hasMessageContaining("invalid UTF-8");
      } finally {
        decoder.release();
      }
    }
  }

  @Test
  void readsValidMultiByteUtf8() throws IOException {
    byte[] text = "Grüße 🙂".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    byte[] bytes = new byte[text.length + 1];
    bytes[0] = (byte) (text.length * 2);
    System.arraycopy(text, 0, bytes, 1, text.length);
    BoundedBinaryDecoder decoder = BoundedBinaryDecoder.acquire(bytes, 0, bytes.length);
    try {
      assertThat(decoder.readString()).isEqualTo("Grüße 🙂");
    } finally {
      decoder.release();
    }
  }

  private static Object readString(BoundedBinaryDecoder decoder, boolean asUtf8)
      throws IOException {
    return asUtf8 ? decoder.readString(null) : decoder.readString();
  }

  private GenericRecord randomRecord() {
    GenericRecord record = new GenericData.Record(EVERYTHING);
    record.put("n", null);
    record.put("b", random.nextBoolean());
    record.put("i", random.nextInt());
    record.put("l", random.nextLong() >> random.nextInt(64));
    record.put("f", random.nextFloat());
    record.put("d", random.nextDouble() * 1e6);
    record.put("s", new Utf8(randomText()));
    record.put("js", randomText());
    byte[] bytes = new byte[random.nextInt(40)];
    random.nextBytes(bytes);
    record.put("y", ByteBuffer.wrap(bytes));
    byte[] four = new byte[4];
    random.nextBytes(four);
    record.put("x", new GenericData.Fixed(EVERYTHING.getField("x").schema(), four));
    List<String> colors = EVERYTHING.getField("e").schema().getEnumSymbols();
    record.put(
        "e",
        new GenericData.EnumSymbol(
            EVERYTHING.getField("e").schema(), colors.get(random.nextInt(colors.size()))));
    Schema itemSchema = EVERYTHING.getField("a").schema().getElementType();
    GenericData.Array<GenericRecord> items =
        new GenericData.Array<>(0, EVERYTHING.getField("a").schema());
    for (int i = random.nextInt(12); i > 0; i--) {
      GenericRecord item = new GenericData.Record(itemSchema);
      item.put("k", new Utf8(randomText()));
      item.put("v", random.nextLong());
      items.add(item);
    }
    record.put("a", items);
    Map<Utf8, Integer> map = new java.util.HashMap<>();
    for (int i = random.nextInt(8); i > 0; i--) {
      map.put(new Utf8("k" + random.nextInt(1000)), random.nextInt());
    }
    record.put("m", map);
    record.put(
        "u",
        switch (random.nextInt(3)) {
          case 0 -> null;
          case 1 -> new Utf8(randomText());
          default -> random.nextLong();
        });
    Schema nestedSchema = EVERYTHING.getField("nested").schema();
    GenericData.Array<GenericData.Array<Integer>> nested = new GenericData.Array<>(0, nestedSchema);
    for (int i = random.nextInt(4); i > 0; i--) {
      GenericData.Array<Integer> inner = new GenericData.Array<>(0, nestedSchema.getElementType());
      for (int j = random.nextInt(5); j > 0; j--) {
        inner.add(random.nextInt());
      }
      nested.add(inner);
    }
    record.put("nested", nested);
    return record;
  }

  private String randomText() {
    StringBuilder text = new StringBuilder();
    for (int i = random.nextInt(30); i > 0; i--) {
      text.appendCodePoint(
          random.nextInt(4) == 0 ? 0x1F600 + random.nextInt(50) : 'a' + random.nextInt(26));
    }
    return text.toString();
  }

  /** Plain encoding, and blocking encoding that writes collection blocks with byte sizes. */
  private static List<Function<ByteArrayOutputStream, Encoder>> encodings() {
    return List.of(
        out -> EncoderFactory.get().binaryEncoder(out, null),
        out -> new EncoderFactory().configureBlockSize(64).blockingBinaryEncoder(out, null));
  }

  private static byte[] encode(
      GenericRecord record, Function<ByteArrayOutputStream, Encoder> encoding) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Encoder encoder = encoding.apply(out);
    new GenericDatumWriter<GenericRecord>(EVERYTHING).write(record, encoder);
    encoder.flush();
    return out.toByteArray();
  }

  private static Object decodeBounded(byte[] bytes, Schema writer, Schema reader)
      throws IOException {
    BoundedBinaryDecoder decoder = BoundedBinaryDecoder.acquire(bytes, 0, bytes.length);
    try {
      Object value = new GenericDatumReader<>(writer, reader).read(null, decoder);
      assertThat(decoder.isEnd()).isTrue();
      return value;
    } finally {
      decoder.release();
    }
  }

  private static Object decodeAvro(byte[] bytes, Schema reader) throws IOException {
    return new GenericDatumReader<>(EVERYTHING, reader)
        .read(null, DecoderFactory.get().binaryDecoder(bytes, null));
  }
}
