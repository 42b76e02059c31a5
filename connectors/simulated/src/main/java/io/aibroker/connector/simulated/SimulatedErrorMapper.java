package io.aibroker.connector.simulated;

import io.aibroker.connector.ProviderErrorMapper;
import io.aibroker.connector.ProviderException;
import io.aibroker.connector.ProviderServerException;

/**
 * The simulated connector raises its failures as {@link ProviderException}s already; anything else
 * is a bug or a closed connector, reported as a server error.
 */
public final class SimulatedErrorMapper implements ProviderErrorMapper {

  @Override
  public ProviderException map(Throwable error) {
    if (error instanceof ProviderException classified) {
      return classified;
    }
    return new ProviderServerException(
        SimulatedConnector.PROVIDER,
        "simulated connector failed: " + error.getClass().getSimpleName(),
        "internal_error",
        500,
        null,
        error);
  }
}
