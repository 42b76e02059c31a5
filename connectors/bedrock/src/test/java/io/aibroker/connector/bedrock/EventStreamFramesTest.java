package io.aibroker.connector.bedrock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.eventstream.HeaderValue;
import software.amazon.awssdk.eventstream.Message;

/**
 * The fake's frame encoder, checked byte by byte and against the decoder the AWS SDK itself uses
 * ({@code software.amazon.awssdk.eventstream}).
 */
class EventStreamFramesTest {

  @Test
  void frameLayoutIsPreludeCrcHeadersPayloadCrc() {
    byte[] payload = "{}".getBytes(StandardCharsets.UTF_8);
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put(":a", "b");

    byte[] frame = EventStreamFrames.frame(headers, payload);

    // header: 1 (name length) + 2 (":a") + 1 (type) + 2 (value length) + 1 ("b") = 7 bytes
    ByteBuffer buffer = ByteBuffer.wrap(frame);
    assertThat(frame).hasSize(12 + 7 + 2 + 4);
    assertThat(buffer.getInt(0)).isEqualTo(frame.length);
    assertThat(buffer.getInt(4)).isEqualTo(7);
    assertThat(Integer.toUnsignedLong(buffer.getInt(8)))
        .isEqualTo(EventStreamFrames.crc32(frame, 0, 8));
    assertThat(frame[12]).isEqualTo((byte) 2);
    assertThat(new String(frame, 13, 2, StandardCharsets.US_ASCII)).isEqualTo(":a");
    assertThat(frame[15]).isEqualTo(EventStreamFrames.STRING);
    assertThat(buffer.getShort(16)).isEqualTo((short) 1);
    assertThat((char) frame[18]).isEqualTo('b');
    assertThat(new String(frame, 19, 2, StandardCharsets.UTF_8)).isEqualTo("{}");
    assertThat(Integer.toUnsignedLong(buffer.getInt(frame.length - 4)))
        .isEqualTo(EventStreamFrames.crc32(frame, 0, frame.length - 4));
  }

  @Test
  void sdkDecoderReadsEventFrames() {
    byte[] frame = EventStreamFrames.event("contentBlockDelta", "{\"delta\":{\"text\":\"Hé\"}}");

    Message message = Message.decode(ByteBuffer.wrap(frame));

    assertThat(message.getHeaders())
        .containsEntry(":event-type", HeaderValue.fromString("contentBlockDelta"))
        .containsEntry(":message-type", HeaderValue.fromString("event"))
        .containsEntry(":content-type", HeaderValue.fromString("application/json"));
    assertThat(new String(message.getPayload(), StandardCharsets.UTF_8))
        .isEqualTo("{\"delta\":{\"text\":\"Hé\"}}");
  }

  @Test
  void sdkDecoderReadsExceptionFrames() {
    byte[] frame = EventStreamFrames.exception("throttlingException", "{\"message\":\"slow\"}");

    Message message = Message.decode(ByteBuffer.wrap(frame));

    assertThat(message.getHeaders())
        .containsEntry(":message-type", HeaderValue.fromString("exception"))
        .containsEntry(":exception-type", HeaderValue.fromString("throttlingException"));
  }

  @Test
  void corruptedFrameFailsTheChecksum() {
    byte[] frame = EventStreamFrames.event("messageStop", "{\"stopReason\":\"end_turn\"}");
    frame[frame.length - 6] ^= 0x01;

    assertThatThrownBy(() -> Message.decode(ByteBuffer.wrap(frame)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
