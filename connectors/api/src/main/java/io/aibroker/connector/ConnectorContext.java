package io.aibroker.connector;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.util.Objects;

/**
 * What the runtime gives every connector.
 *
 * @param clock the clock to read time from (tests inject a controllable one)
 * @param meterRegistry where connector metrics go
 */
public record ConnectorContext(Clock clock, MeterRegistry meterRegistry) {

  /** Requires both. */
  public ConnectorContext {
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(meterRegistry, "meterRegistry");
  }

  /** The UTC system clock and a fresh in-memory registry, for tests and tools. */
  public static ConnectorContext defaults() {
    return new ConnectorContext(Clock.systemUTC(), new SimpleMeterRegistry());
  }
}
