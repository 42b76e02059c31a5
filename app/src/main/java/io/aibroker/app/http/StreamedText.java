package io.aibroker.app.http;

import java.util.Optional;

/**
 * What of a streamed output has been sent to an SSE client, which cannot take text back. Chunks of
 * one attempt append; after a provider failover the new attempt starts over, and its text is only
 * sent once it goes beyond what was already sent and begins with it (a deterministic model repeats
 * itself; another one may not, and then the rest waits for the final result).
 */
final class StreamedText {

  private final StringBuilder sent = new StringBuilder();
  private final StringBuilder attemptText = new StringBuilder();
  private int attempt = Integer.MIN_VALUE;

  /** Takes a chunk's delta and returns the text to send for it now, possibly empty. */
  String accept(int chunkAttempt, String delta) {
    if (chunkAttempt != attempt) {
      attempt = chunkAttempt;
      attemptText.setLength(0);
    }
    attemptText.append(delta);
    return unsent(attemptText).orElse("");
  }

  /**
   * The text still to send so that the client ends up with {@code finalText}; empty if what was
   * sent is not its beginning (the stream then cannot end with the right text).
   */
  Optional<String> finish(String finalText) {
    return unsent(finalText == null ? "" : finalText);
  }

  /** Everything sent so far. */
  String sent() {
    return sent.toString();
  }

  private Optional<String> unsent(CharSequence text) {
    if (text.length() < sent.length()
        || !text.subSequence(0, sent.length()).toString().contentEquals(sent)) {
      return Optional.empty();
    }
    String rest = text.subSequence(sent.length(), text.length()).toString();
    sent.append(rest);
    return Optional.of(rest);
  }
}
