package io.aibroker.connector;

import java.util.Objects;

/**
 * One piece of a streamed reply. Concatenating the deltas of a call in {@code sequence} order gives
 * the final text.
 *
 * @param sequence position of this delta in the stream, starting at 0
 * @param text the piece, may be empty
 */
public record TextDelta(int sequence, String text) {

  /** Validates the sequence and text. */
  public TextDelta {
    if (sequence < 0) {
      throw new IllegalArgumentException("sequence must be >= 0, was " + sequence);
    }
    Objects.requireNonNull(text, "text");
  }
}
