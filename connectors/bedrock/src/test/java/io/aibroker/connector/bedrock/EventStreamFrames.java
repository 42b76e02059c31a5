package io.aibroker.connector.bedrock;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * Encodes AWS event-stream frames ({@code application/vnd.amazon.eventstream}) as Bedrock's
 * ConverseStream sends them. Each frame: total length and headers length (4 bytes each), the CRC32
 * of those 8 bytes, the headers (1-byte name length, name, type 7 = string, 2-byte value length,
 * value), the payload, and the CRC32 of everything before it; integers big-endian.
 */
final class EventStreamFrames {

  /** Header value type: UTF-8 string. */
  static final byte STRING = 7;

  private static final int PRELUDE_LENGTH = 12;
  private static final int MESSAGE_CRC_LENGTH = 4;

  private EventStreamFrames() {}

  /** An {@code event} frame of type {@code eventType} with a JSON payload. */
  static byte[] event(String eventType, String json) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put(":event-type", eventType);
    headers.put(":content-type", "application/json");
    headers.put(":message-type", "event");
    return frame(headers, json.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * An {@code exception} frame, as Bedrock sends mid-stream errors; {@code exceptionType} in lower
   * camel case, e.g. {@code throttlingException}.
   */
  static byte[] exception(String exceptionType, String json) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put(":exception-type", exceptionType);
    headers.put(":content-type", "application/json");
    headers.put(":message-type", "exception");
    return frame(headers, json.getBytes(StandardCharsets.UTF_8));
  }

  /** A frame with string {@code headers} (in iteration order) and {@code payload}. */
  static byte[] frame(Map<String, String> headers, byte[] payload) {
    byte[] encodedHeaders = headers(headers);
    int total = PRELUDE_LENGTH + encodedHeaders.length + payload.length + MESSAGE_CRC_LENGTH;
    ByteBuffer frame = ByteBuffer.allocate(total);
    frame.putInt(total).putInt(encodedHeaders.length);
    frame.putInt((int) crc32(frame.array(), 0, 8));
    frame.put(encodedHeaders).put(payload);
    frame.putInt((int) crc32(frame.array(), 0, total - MESSAGE_CRC_LENGTH));
    return frame.array();
  }

  private static byte[] headers(Map<String, String> headers) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    headers.forEach(
        (name, value) -> {
          byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
          byte[] valueBytes = value.getBytes(StandardCharsets.UTF_8);
          if (nameBytes.length > 255 || valueBytes.length > 0xFFFF) {
            throw new IllegalArgumentException("header too long: " + name);
          }
          out.write(nameBytes.length);
          out.writeBytes(nameBytes);
          out.write(STRING);
          out.write(valueBytes.length >>> 8);
          out.write(valueBytes.length & 0xFF);
          out.writeBytes(valueBytes);
        });
    return out.toByteArray();
  }

  static long crc32(byte[] bytes, int offset, int length) {
    CRC32 crc = new CRC32();
    crc.update(bytes, offset, length);
    return crc.getValue();
  }
}
