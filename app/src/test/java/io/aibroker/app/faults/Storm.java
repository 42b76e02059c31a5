package io.aibroker.app.faults;

import io.aibroker.connector.simulated.SimulatedFault;
import io.aibroker.connector.testing.FakeScenario;
import io.aibroker.connector.testing.FaultSchedule;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The provider fault storms of issue 7, each played from the start of a run for {@code length}: as
 * a {@link FaultSchedule} on a fake provider server, and as {@link SimulatedFault}s on one
 * deployment of the simulated connector.
 */
enum Storm {
  /** Every call gets a 429 with {@code Retry-After: 1}. */
  RATE_LIMITED("429 + Retry-After 1s", false),
  /** 1-second bursts of 503s, one every 2 seconds. */
  SERVER_ERROR_BURSTS("5xx bursts (1s every 2s)", false),
  /** Calls are never answered; the worker's call timeout ends them. */
  HANG("hang until timeout", false),
  /** Streams stop after a few chunks without their end. */
  STREAM_CUT("stream cut mid-way", true);

  /** The retry hint of the 429 storm. */
  static final Duration RETRY_AFTER = Duration.ofSeconds(1);

  static final Duration BURST = Duration.ofSeconds(1);
  static final Duration BURST_EVERY = Duration.ofSeconds(2);

  private final String description;
  private final boolean streaming;

  Storm(String description, boolean streaming) {
    this.description = description;
    this.streaming = streaming;
  }

  /** What the storm does, for the report. */
  String description() {
    return description;
  }

  /** Whether the storm's requests ask for streamed output. */
  boolean streaming() {
    return streaming;
  }

  /** A short lower-case name, usable in ids and deployment names. */
  String id() {
    return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }

  /** The storm as a fake server's schedule, starting now on {@code clock}. */
  FaultSchedule schedule(Clock clock, Duration length) {
    FaultSchedule schedule = FaultSchedule.startingNow(clock);
    return switch (this) {
      case RATE_LIMITED ->
          schedule.window(FakeScenario.RATE_LIMITED, Duration.ZERO, length, RETRY_AFTER);
      case SERVER_ERROR_BURSTS ->
          schedule.bursts(
              FakeScenario.SERVER_ERROR, Duration.ZERO, BURST, BURST_EVERY, bursts(length));
      case HANG -> schedule.window(FakeScenario.HANG, Duration.ZERO, length);
      case STREAM_CUT -> schedule.window(FakeScenario.STREAM_CUT, Duration.ZERO, length);
    };
  }

  /** The storm as simulated faults on {@code deployment}, from the connector's creation. */
  List<SimulatedFault> simulatedFaults(String deployment, Duration length) {
    List<SimulatedFault> faults = new ArrayList<>();
    switch (this) {
      case RATE_LIMITED ->
          faults.add(
              SimulatedFault.of(SimulatedFault.Kind.RATE_LIMITED, Duration.ZERO, length)
                  .withRetryAfter(RETRY_AFTER));
      case SERVER_ERROR_BURSTS -> {
        for (int i = 0; i < bursts(length); i++) {
          faults.add(
              SimulatedFault.of(
                  SimulatedFault.Kind.SERVER_ERROR, BURST_EVERY.multipliedBy(i), BURST));
        }
      }
      case HANG -> faults.add(SimulatedFault.of(SimulatedFault.Kind.HANG, Duration.ZERO, length));
      case STREAM_CUT ->
          faults.add(SimulatedFault.of(SimulatedFault.Kind.STREAM_CUT, Duration.ZERO, length));
    }
    return faults.stream().map(f -> f.onDeployments(deployment)).toList();
  }

  private static int bursts(Duration length) {
    return (int) Math.max(1, Math.ceilDiv(length.toMillis(), BURST_EVERY.toMillis()));
  }
}
