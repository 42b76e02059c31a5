package io.aibroker.connector.testing;

import io.aibroker.connector.TokenUsage;
import java.time.Duration;
import java.util.List;

/**
 * What every {@link FakeProviderServer} answers on {@link FakeScenario#SUCCESS}, so that one {@link
 * ConnectorConformanceSuite} can check every provider. Fakes render these values in their own wire
 * format.
 */
public final class FakeReplies {

  /** Chunks of a streamed reply, in order; they concatenate to {@link #SUCCESS_TEXT}. */
  public static final List<String> STREAM_CHUNKS =
      List.of("Hello", " from", " the", " fake", " provider.");

  /** The whole chat reply. */
  public static final String SUCCESS_TEXT = String.join("", STREAM_CHUNKS);

  /** Prompt tokens reported for a chat call, plain or streamed. */
  public static final long INPUT_TOKENS = 11;

  /** Completion tokens reported for a chat call, plain or streamed. */
  public static final long OUTPUT_TOKENS = 7;

  /** {@link #INPUT_TOKENS} and {@link #OUTPUT_TOKENS}. */
  public static final TokenUsage CHAT_USAGE = new TokenUsage(INPUT_TOKENS, OUTPUT_TOKENS);

  /**
   * Usage with every token class, for {@link FakeProviderServer#chatUsage(TokenUsage)}: 1,500
   * prompt tokens of which 1,000 read from the prompt cache and 200 written to it (80 of them with
   * a one-hour lifetime), so 300 uncached; 500 completion tokens of which 120 reasoning. Fakes
   * render what their provider's format can say of it; the rest is lost as it would be with the
   * provider.
   */
  public static final TokenUsage CACHED_CHAT_USAGE =
      new TokenUsage(1_500, 500, 1_000, 200, 80, 120);

  /** Prompt tokens reported for an embedding call, if the provider reports any. */
  public static final long EMBEDDING_INPUT_TOKENS = 5;

  /** Length of every {@link #embedding(int)} vector. */
  public static final int EMBEDDING_DIMENSIONS = 4;

  /**
   * Retry hint fakes send with {@link FakeScenario#RATE_LIMITED} when their provider has one; whole
   * seconds so it survives both {@code Retry-After} and millisecond headers exactly.
   */
  public static final Duration RETRY_AFTER = Duration.ofSeconds(7);

  private FakeReplies() {}

  /**
   * The vector returned for the {@code index}-th input. Values are exact binary fractions so they
   * survive a JSON round trip through double and float unchanged.
   */
  public static List<Float> embedding(int index) {
    return List.of(index + 0.5f, -(index + 0.25f), 0.125f, index * 2.0f);
  }
}
