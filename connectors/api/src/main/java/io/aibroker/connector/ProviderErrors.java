package io.aibroker.connector;

import java.util.Objects;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * The one classification of provider failures, used by {@link InstrumentedConnector} for what a
 * connector's call fails with and by the worker for what its own call loop sees (a call it timed
 * out, a connector that is not instrumented). A failure classified once passes through unchanged,
 * so asking twice never classifies twice.
 */
public final class ProviderErrors {

  /** How deep {@link #unwrap} looks through wrappers. */
  private static final int MAX_WRAPPERS = 16;

  private ProviderErrors() {}

  /**
   * Classifies a failure of one of {@code connector}'s calls: unwraps {@link CompletionException}s
   * and {@link ExecutionException}s, passes a {@link ProviderException} through, asks the
   * connector's {@link Connector#errorMapper() mapper} otherwise, and falls back to {@link
   * ProviderErrorMapper#fallback} if the mapper returns {@code null} or throws (its failure is
   * added to the error as suppressed).
   *
   * @param connector the connector that made the call
   * @param failure what the call failed with; {@code null} means it completed without a response
   */
  public static ProviderException classify(Connector connector, Throwable failure) {
    Objects.requireNonNull(connector, "connector");
    Throwable error =
        failure == null
            ? new IllegalStateException(connector.provider() + " connector returned no response")
            : unwrap(failure);
    if (error instanceof ProviderException alreadyClassified) {
      return alreadyClassified;
    }
    try {
      ProviderException mapped = connector.errorMapper().map(error);
      if (mapped != null) {
        return mapped;
      }
    } catch (RuntimeException mapperBug) {
      error.addSuppressed(mapperBug);
    }
    return ProviderErrorMapper.fallback(connector.provider()).map(error);
  }

  /** The error inside {@link CompletionException} and {@link ExecutionException} wrappers. */
  public static Throwable unwrap(Throwable failure) {
    Throwable error = failure;
    int depth = 0;
    while ((error instanceof CompletionException || error instanceof ExecutionException)
        && error.getCause() != null
        && depth++ < MAX_WRAPPERS) {
      error = error.getCause();
    }
    return error;
  }
}
