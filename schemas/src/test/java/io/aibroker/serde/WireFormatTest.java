package io.aibroker.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class WireFormatTest {

  @Test
  void headerIsMagicZeroThenBigEndianId() {
    assertThat(WireFormat.header(0x01020304)).containsExactly(0x00, 0x01, 0x02, 0x03, 0x04);
    assertThat(WireFormat.header(0x80FF7F01)).containsExactly(0x00, 0x80, 0xFF, 0x7F, 0x01);
  }

  @Test
  void encodePrependsHeaderToPayload() {
    assertThat(WireFormat.encode(258, new byte[] {9, 8}))
        .containsExactly(0x00, 0x00, 0x00, 0x01, 0x02, 9, 8);
  }

  @Test
  void schemaIdReadsBigEndianIncludingHighBytes() {
    assertThat(WireFormat.schemaId(WireFormat.encode(7, new byte[0]))).isEqualTo(7);
    assertThat(WireFormat.schemaId(WireFormat.encode(Integer.MAX_VALUE, new byte[0])))
        .isEqualTo(Integer.MAX_VALUE);
    assertThat(WireFormat.schemaId(WireFormat.encode(0x00C0FFEE, new byte[] {1})))
        .isEqualTo(0x00C0FFEE);
  }

  @Test
  void rejectsWrongMagicByte() {
    assertThatThrownBy(() -> WireFormat.schemaId(new byte[] {7, 0, 0, 0, 1, 2}))
        .isInstanceOf(SerializationException.class)
        .hasMessage("Unknown magic byte 7 (expected 0)");
  }

  @Test
  void reportsMagicByteAsUnsigned() {
    assertThatThrownBy(() -> WireFormat.schemaId(new byte[] {(byte) 0xFF, 0, 0, 0, 1}))
        .hasMessage("Unknown magic byte 255 (expected 0)");
  }

  @Test
  void rejectsRecordShorterThanHeader() {
    assertThatThrownBy(() -> WireFormat.schemaId(new byte[] {0, 0, 1}))
        .isInstanceOf(SerializationException.class)
        .hasMessage("Record too short: 3 bytes (wire format needs at least 5)");
  }

  @Test
  void findSchemaIdNeverThrows() {
    assertThat(WireFormat.findSchemaId(WireFormat.encode(42, new byte[] {1}))).hasValue(42);
    assertThat(WireFormat.findSchemaId(new byte[] {1, 0, 0, 0, 42})).isEmpty();
    assertThat(WireFormat.findSchemaId(new byte[0])).isEmpty();
  }

  @Test
  void payloadIsReadOnlyViewAfterHeader() {
    ByteBuffer payload = WireFormat.payload(WireFormat.encode(1, new byte[] {5, 6, 7}));
    assertThat(payload.isReadOnly()).isTrue();
    byte[] bytes = new byte[payload.remaining()];
    payload.get(bytes);
    assertThat(bytes).containsExactly(5, 6, 7);
  }
}
