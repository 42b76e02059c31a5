package io.aibroker.app.cli;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;

/**
 * A one-line progress bar for a terminal: done/total, percentage, rate and ETA, redrawn in place at
 * most a few times a second.
 */
final class ProgressBar {

  private static final int WIDTH = 30;
  private static final long REDRAW_NANOS = 200_000_000L;

  private final PrintStream out;
  private final long total;
  private final long start = System.nanoTime();
  private long lastDraw;
  private long done;

  ProgressBar(PrintStream out, long total) {
    this.out = out;
    this.total = total;
  }

  /** One more item is done. */
  synchronized void step() {
    done++;
    long now = System.nanoTime();
    if (now - lastDraw >= REDRAW_NANOS || done == total) {
      lastDraw = now;
      out.print("\r" + line(done, total, Duration.ofNanos(now - start)));
      out.flush();
    }
  }

  /** Ends the bar's line. */
  synchronized void finish() {
    out.print("\r" + line(done, total, Duration.ofNanos(System.nanoTime() - start)) + "\n");
    out.flush();
  }

  /** The bar for {@code done} of {@code total} after {@code elapsed}. */
  static String line(long done, long total, Duration elapsed) {
    double fraction = total == 0 ? 1 : Math.min(1, (double) done / total);
    int filled = (int) Math.round(fraction * WIDTH);
    double seconds = Math.max(elapsed.toMillis(), 1) / 1000.0;
    double rate = done / seconds;
    String eta = done == 0 ? "--:--" : clock(Math.round((total - done) / Math.max(rate, 1e-9)));
    return String.format(
        Locale.ROOT,
        "[%s%s] %d/%d %3d%% %.1f req/s ETA %s ",
        "#".repeat(filled),
        ".".repeat(WIDTH - filled),
        done,
        total,
        Math.round(fraction * 100),
        rate,
        eta);
  }

  private static String clock(long seconds) {
    return seconds >= 3600
        ? String.format("%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60)
        : String.format("%d:%02d", seconds / 60, seconds % 60);
  }
}
