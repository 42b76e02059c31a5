package io.aibroker.connector;

import java.util.List;

/**
 * Sampling parameters of a chat call. A {@code null} field means "the provider's default".
 *
 * @param maxTokens upper bound on output tokens, positive
 * @param temperature sampling temperature, {@code >= 0}
 * @param topP nucleus sampling mass, in {@code (0, 1]}
 * @param stop stop sequences; {@code null} is read as none
 */
public record GenerationParams(
    Integer maxTokens, Double temperature, Double topP, List<String> stop) {

  private static final GenerationParams DEFAULTS = new GenerationParams(null, null, null, null);

  /** Validates ranges and copies {@code stop}. */
  public GenerationParams {
    if (maxTokens != null && maxTokens <= 0) {
      throw new IllegalArgumentException("maxTokens must be positive, was " + maxTokens);
    }
    if (temperature != null && !(temperature >= 0)) {
      throw new IllegalArgumentException("temperature must be >= 0, was " + temperature);
    }
    if (topP != null && !(topP > 0 && topP <= 1)) {
      throw new IllegalArgumentException("topP must be in (0, 1], was " + topP);
    }
    stop = stop == null ? List.of() : List.copyOf(stop);
  }

  /** All provider defaults. */
  public static GenerationParams defaults() {
    return DEFAULTS;
  }

  /** A copy with {@code maxTokens} replaced. */
  public GenerationParams withMaxTokens(Integer maxTokens) {
    return new GenerationParams(maxTokens, temperature, topP, stop);
  }
}
