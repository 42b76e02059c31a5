package io.aibroker.connector.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A script of provider faults in time: windows of 429s, 5xx bursts, hangs and cut streams, counted
 * from a start instant on a clock (real time, or a test's controllable clock). Give one to {@link
 * FakeProviderServer#faults(FaultSchedule)}; outside its windows the server answers as usual.
 *
 * <pre>{@code
 * server.faults(FaultSchedule.startingNow(clock)
 *     .window(FakeScenario.RATE_LIMITED, Duration.ZERO, Duration.ofSeconds(30), Duration.ofSeconds(1))
 *     .bursts(FakeScenario.SERVER_ERROR, Duration.ofSeconds(40), Duration.ofSeconds(1), Duration.ofSeconds(3), 5));
 * }</pre>
 */
public final class FaultSchedule {

  private final Clock clock;
  private final Instant start;
  private final List<FaultWindow> windows;

  private FaultSchedule(Clock clock, Instant start, List<FaultWindow> windows) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.start = Objects.requireNonNull(start, "start");
    this.windows = List.copyOf(windows);
  }

  /** An empty schedule whose windows count from {@code clock}'s current instant. */
  public static FaultSchedule startingNow(Clock clock) {
    return new FaultSchedule(clock, clock.instant(), List.of());
  }

  /** An empty schedule whose windows count from {@code start}. */
  public static FaultSchedule startingAt(Clock clock, Instant start) {
    return new FaultSchedule(clock, start, List.of());
  }

  /** This schedule plus {@code window}. */
  public FaultSchedule window(FaultWindow window) {
    List<FaultWindow> more = new ArrayList<>(windows);
    more.add(Objects.requireNonNull(window, "window"));
    return new FaultSchedule(clock, start, more);
  }

  /** This schedule plus a window of {@code scenario} with the given retry hint (may be null). */
  public FaultSchedule window(
      FakeScenario scenario, Duration from, Duration length, Duration retryAfter) {
    return window(new FaultWindow(scenario, from, length, retryAfter));
  }

  /** This schedule plus a window of {@code scenario}. */
  public FaultSchedule window(FakeScenario scenario, Duration from, Duration length) {
    return window(FaultWindow.of(scenario, from, length));
  }

  /**
   * This schedule plus {@code count} bursts of {@code scenario}, each {@code length} long, one
   * starting every {@code every} from {@code from}.
   */
  public FaultSchedule bursts(
      FakeScenario scenario, Duration from, Duration length, Duration every, int count) {
    if (every.compareTo(length) < 0) {
      throw new IllegalArgumentException(
          "bursts must not overlap: every " + every + " < " + length);
    }
    FaultSchedule schedule = this;
    for (int i = 0; i < count; i++) {
      schedule = schedule.window(scenario, from.plus(every.multipliedBy(i)), length);
    }
    return schedule;
  }

  /** The window covering the clock's current instant, if any (the first one listed wins). */
  public Optional<FaultWindow> now() {
    return at(clock.instant());
  }

  /** The window covering {@code instant}, if any (the first one listed wins). */
  public Optional<FaultWindow> at(Instant instant) {
    Duration elapsed = Duration.between(start, instant);
    return windows.stream().filter(window -> window.covers(elapsed)).findFirst();
  }

  /** When the last window closes; {@link #start()} if there is none. */
  public Instant end() {
    return windows.stream().map(w -> start.plus(w.end())).max(Instant::compareTo).orElse(start);
  }

  /** The instant windows count from. */
  public Instant start() {
    return start;
  }

  /** The windows, in the order given. */
  public List<FaultWindow> windows() {
    return windows;
  }

  /** The clock the schedule reads. */
  public Clock clock() {
    return clock;
  }
}
