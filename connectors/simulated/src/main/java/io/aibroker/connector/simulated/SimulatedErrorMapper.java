package io.aibroker.connector.simulated;

import io.aibroker.connector.ProviderErrorMapper;
import io.aibroker.connector.ProviderException;

/**
 * The simulated connector raises its own failures as {@link ProviderException}s already; anything
 * else (a caller's timeout, a closed connector, a bug) gets the {@link ProviderErrorMapper#fallback
 * shared classification}.
 */
public final class SimulatedErrorMapper implements ProviderErrorMapper {

  private final ProviderErrorMapper fallback =
      ProviderErrorMapper.fallback(SimulatedConnector.PROVIDER);

  @Override
  public ProviderException map(Throwable error) {
    return fallback.map(error);
  }
}
