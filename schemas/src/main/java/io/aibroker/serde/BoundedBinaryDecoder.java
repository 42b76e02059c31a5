package io.aibroker.serde;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.apache.avro.io.Decoder;
import org.apache.avro.util.Utf8;

/**
 * Avro binary decoder over a byte array that rejects lengths and item counts the remaining bytes
 * cannot hold, before allocating anything.
 *
 * <p>Why not Avro's {@code BinaryDecoder}: it trusts declared sizes, so a corrupt record of a few
 * bytes declaring a 2 GB string or a billion-item array makes it allocate that much and kill the
 * consumer with an {@link OutOfMemoryError}. Here every string, bytes value and collection block
 * must fit in what is left of the record, so memory stays proportional to the record size.
 *
 * <p>The one valid encoding this rejects is a collection block of more zero-byte items (nulls,
 * empty records) than there are bytes left in the record. Writers never produce those in practice.
 *
 * <p>Instances are per thread and reused; see {@link #acquire} and {@link #release}.
 */
final class BoundedBinaryDecoder extends Decoder {

  private static final ThreadLocal<BoundedBinaryDecoder> CURRENT =
      ThreadLocal.withInitial(BoundedBinaryDecoder::new);

  private byte[] buf;
  private int pos;
  private int limit;
  private boolean inUse;

  private BoundedBinaryDecoder() {}

  /** This thread's decoder reading {@code length} bytes of {@code data} from {@code offset}. */
  static BoundedBinaryDecoder acquire(byte[] data, int offset, int length) {
    BoundedBinaryDecoder decoder = CURRENT.get();
    if (decoder.inUse) {
      decoder = new BoundedBinaryDecoder();
    }
    decoder.inUse = true;
    decoder.buf = data;
    decoder.pos = offset;
    decoder.limit = offset + length;
    return decoder;
  }

  /** Releases the decoder and its reference to the record bytes. */
  void release() {
    buf = null;
    inUse = false;
  }

  /** Whether all bytes have been read. */
  boolean isEnd() {
    return pos == limit;
  }

  @Override
  public void readNull() {}

  @Override
  public boolean readBoolean() throws IOException {
    require(1);
    return buf[pos++] == 1;
  }

  @Override
  public int readInt() throws IOException {
    int result = 0;
    for (int shift = 0; shift < 32; shift += 7) {
      if (pos >= limit) {
        throw truncated(1);
      }
      int b = buf[pos++] & 0xff;
      result |= (b & 0x7f) << shift;
      if (b < 0x80) {
        return (result >>> 1) ^ -(result & 1);
      }
    }
    throw new IOException("Malformed data: invalid int encoding at offset " + pos);
  }

  @Override
  public long readLong() throws IOException {
    long result = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos >= limit) {
        throw truncated(1);
      }
      long b = buf[pos++] & 0xff;
      result |= (b & 0x7f) << shift;
      if (b < 0x80) {
        return (result >>> 1) ^ -(result & 1);
      }
    }
    throw new IOException("Malformed data: invalid long encoding at offset " + pos);
  }

  @Override
  public float readFloat() throws IOException {
    require(4);
    int bits =
        (buf[pos] & 0xff)
            | ((buf[pos + 1] & 0xff) << 8)
            | ((buf[pos + 2] & 0xff) << 16)
            | ((buf[pos + 3] & 0xff) << 24);
    pos += 4;
    return Float.intBitsToFloat(bits);
  }

  @Override
  public double readDouble() throws IOException {
    require(8);
    long bits = 0;
    for (int i = 7; i >= 0; i--) {
      bits = (bits << 8) | (buf[pos + i] & 0xffL);
    }
    pos += 8;
    return Double.longBitsToDouble(bits);
  }

  @Override
  public Utf8 readString(Utf8 old) throws IOException {
    int length = length();
    checkUtf8(length);
    Utf8 result = old != null ? old : new Utf8();
    result.setByteLength(length);
    System.arraycopy(buf, pos, result.getBytes(), 0, length);
    pos += length;
    return result;
  }

  @Override
  public String readString() throws IOException {
    int length = length();
    checkUtf8(length);
    String result = new String(buf, pos, length, StandardCharsets.UTF_8);
    pos += length;
    return result;
  }

  /**
   * Avro strings are UTF-8: invalid bytes are malformed data, not text to patch with U+FFFD (which
   * would silently change ids, prompts and tags on their way through aibroker).
   */
  private void checkUtf8(int length) throws IOException {
    int end = pos + length;
    int i = pos;
    while (i < end && buf[i] >= 0) {
      i++; // ASCII: nothing to check, by far the common case
    }
    if (i == end) {
      return;
    }
    CharsetDecoder strict =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    try {
      strict.decode(ByteBuffer.wrap(buf, i, end - i));
    } catch (CharacterCodingException e) {
      throw new IOException("Malformed data: invalid UTF-8 in the string at offset " + pos, e);
    }
  }

  @Override
  public void skipString() throws IOException {
    int length = length(); // read first: "pos += length()" would lose the length's own bytes
    pos += length;
  }

  @Override
  public ByteBuffer readBytes(ByteBuffer old) throws IOException {
    int length = length();
    ByteBuffer result;
    if (old != null && length <= old.capacity() && old.hasArray()) {
      result = old;
      result.clear();
    } else {
      result = ByteBuffer.allocate(length);
    }
    System.arraycopy(buf, pos, result.array(), result.arrayOffset() + result.position(), length);
    result.limit(result.position() + length);
    pos += length;
    return result;
  }

  @Override
  public void skipBytes() throws IOException {
    skipString();
  }

  @Override
  public void readFixed(byte[] bytes, int start, int length) throws IOException {
    require(length);
    System.arraycopy(buf, pos, bytes, start, length);
    pos += length;
  }

  @Override
  public void skipFixed(int length) throws IOException {
    require(length);
    pos += length;
  }

  @Override
  public int readEnum() throws IOException {
    return readInt();
  }

  @Override
  public long readArrayStart() throws IOException {
    return itemCount();
  }

  @Override
  public long arrayNext() throws IOException {
    return itemCount();
  }

  @Override
  public long skipArray() throws IOException {
    return skipSizedBlocks();
  }

  @Override
  public long readMapStart() throws IOException {
    return itemCount();
  }

  @Override
  public long mapNext() throws IOException {
    return itemCount();
  }

  @Override
  public long skipMap() throws IOException {
    return skipSizedBlocks();
  }

  @Override
  public int readIndex() throws IOException {
    return readInt();
  }

  /** The item count of the next block; a negative count is followed by the block's byte size. */
  private long itemCount() throws IOException {
    long count = readLong();
    if (count < 0) {
      readLong();
      count = -count;
    }
    return checkCount(count);
  }

  /**
   * Skips blocks whose byte size is known and returns the item count of the first block that must
   * be skipped item by item (0 at the end of the collection).
   */
  private long skipSizedBlocks() throws IOException {
    long count = readLong();
    while (count < 0) {
      long bytes = readLong();
      if (bytes < 0 || bytes > limit - pos) {
        throw new EOFException(
            "Block of " + bytes + " bytes at offset " + pos + ", but " + (limit - pos) + " remain");
      }
      pos += (int) bytes;
      count = readLong();
    }
    return checkCount(count);
  }

  private long checkCount(long count) throws IOException {
    if (count < 0 || count > limit - pos) {
      throw new EOFException(
          "Collection block of "
              + count
              + " items at offset "
              + pos
              + ", but only "
              + (limit - pos)
              + " bytes remain");
    }
    return count;
  }

  /** Reads a string or bytes length and checks the remaining bytes hold it. */
  private int length() throws IOException {
    long length = readLong();
    if (length < 0) {
      throw new IOException("Malformed data: negative length " + length + " at offset " + pos);
    }
    if (length > limit - pos) {
      throw new EOFException(
          "Length "
              + length
              + " at offset "
              + pos
              + " exceeds the "
              + (limit - pos)
              + " bytes remaining");
    }
    return (int) length;
  }

  private void require(int bytes) throws EOFException {
    if (bytes > limit - pos) {
      throw truncated(bytes);
    }
  }

  private EOFException truncated(int needed) {
    return new EOFException(
        "Needs "
            + needed
            + " more byte(s) at offset "
            + pos
            + ", but "
            + (limit - pos)
            + " remain");
  }
}
