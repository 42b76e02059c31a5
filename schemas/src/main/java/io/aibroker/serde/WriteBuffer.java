package io.aibroker.serde;

import java.io.OutputStream;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;

/**
 * A per-thread growable output buffer with its Avro encoder, reused across records so the hot path
 * allocates only the result array.
 *
 * <p>Not synchronized: a buffer is used by one thread at a time. Buffers that grew beyond {@link
 * #MAX_RETAINED} are dropped after use, so one huge record does not pin memory.
 *
 * <p>Virtual threads (the workers report each provider call's outcome on its own) live for one
 * call, so a buffer per thread would be a new buffer and encoder per record: 2.5 KB of garbage per
 * outcome, 2 % of the broker + workers JVM's allocations at 3,000 requests/s (issue 16). They take
 * a buffer from a small shared pool and give it back.
 */
final class WriteBuffer extends OutputStream {

  static final int MAX_RETAINED = 1 << 20;
  private static final int INITIAL_SIZE = 512;
  private static final ThreadLocal<WriteBuffer> CURRENT = ThreadLocal.withInitial(WriteBuffer::new);

  /** Buffers kept for virtual threads: about as many as write at once. */
  static final int POOLED = 64;

  private static final ArrayBlockingQueue<WriteBuffer> POOL = new ArrayBlockingQueue<>(POOLED);

  private byte[] buf = new byte[INITIAL_SIZE];
  private int count;
  private boolean inUse;
  private boolean pooled;
  private BinaryEncoder encoder;

  private WriteBuffer() {}

  /**
   * This thread's buffer, emptied; a fresh one if it is already in use (re-entrant call). A virtual
   * thread gets one from the pool.
   */
  static WriteBuffer acquire() {
    WriteBuffer buffer;
    if (Thread.currentThread().isVirtual()) {
      buffer = POOL.poll();
      if (buffer == null) {
        buffer = new WriteBuffer();
        buffer.pooled = true;
      }
    } else {
      buffer = CURRENT.get();
      if (buffer.inUse) {
        buffer = new WriteBuffer();
      }
    }
    buffer.inUse = true;
    buffer.count = 0;
    return buffer;
  }

  /**
   * Returns the buffer for reuse.
   *
   * @param failed whether the write failed; the encoder may then hold stale bytes and is replaced
   */
  void release(boolean failed) {
    inUse = false;
    count = 0;
    if (buf.length > MAX_RETAINED) {
      buf = new byte[INITIAL_SIZE];
    }
    if (failed) {
      encoder = null;
    }
    if (pooled) {
      POOL.offer(this); // dropped when the pool is full
    }
  }

  /** A buffered binary encoder writing into this buffer; flush it before {@link #toByteArray}. */
  BinaryEncoder encoder() {
    if (encoder == null) {
      encoder = EncoderFactory.get().binaryEncoder(this, null);
    }
    return encoder;
  }

  /** Appends the wire-format header. */
  void writeHeader(int schemaId) {
    ensureCapacity(count + WireFormat.HEADER_SIZE);
    WireFormat.writeHeader(buf, count, schemaId);
    count += WireFormat.HEADER_SIZE;
  }

  /** A copy of the bytes written since {@link #acquire()}. */
  byte[] toByteArray() {
    return Arrays.copyOf(buf, count);
  }

  @Override
  public void write(int b) {
    ensureCapacity(count + 1);
    buf[count++] = (byte) b;
  }

  @Override
  public void write(byte[] bytes, int offset, int length) {
    ensureCapacity(count + length);
    System.arraycopy(bytes, offset, buf, count, length);
    count += length;
  }

  private void ensureCapacity(int needed) {
    if (needed < 0) {
      throw new IllegalStateException("Record larger than 2 GiB");
    }
    if (needed > buf.length) {
      int doubled = (int) Math.min(Integer.MAX_VALUE - 8L, buf.length * 2L);
      buf = Arrays.copyOf(buf, Math.max(needed, doubled));
    }
  }
}
