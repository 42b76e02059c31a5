package io.aibroker.reliability;

import io.aibroker.reliability.CrashMatrixCheck.Figures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The crash matrix's findings as Markdown tables, printed and written to a file. */
final class CrashMatrixReport {

  /** One kill: what, when, how long until it served again, and calls it had in flight. */
  record Kill(
      ChaosSchedule.Target target, String name, int atRequest, Duration backAfter, String note) {}

  private CrashMatrixReport() {}

  static String markdown(
      ReliabilitySettings settings,
      List<Kill> kills,
      Figures f,
      Duration sendTime,
      Duration allResultsAfter,
      Map<String, Long> logFindings) {
    StringBuilder md = new StringBuilder();
    md.append("# Crash matrix\n\n")
        .append(
            "%d requests from %d tenants at %d/s (sent in %.0f s), simulated provider latency %d ms ± %d ms;%n"
                .formatted(
                    settings.requests(),
                    settings.tenants(),
                    settings.ratePerSecond(),
                    sendTime.toMillis() / 1000.0,
                    settings.providerLatency().toMillis(),
                    settings.providerLatency().toMillis() / 2))
        .append(
            "3 Kafka brokers + 1 controller (RF 3, min.insync.replicas 2), broker app and 2 workers"
                + " as OS processes; every result in %.0f s after the last send.%n%n"
                    .formatted(allResultsAfter.toMillis() / 1000.0));
    md.append("| # | SIGKILL | after request | serving again after | note |\n")
        .append("|---|---|---|---|---|\n");
    for (int i = 0; i < kills.size(); i++) {
      Kill k = kills.get(i);
      md.append(
          "| %d | %s | %d | %.1f s | %s |%n"
              .formatted(
                  i + 1, k.name(), k.atRequest(), k.backAfter().toMillis() / 1000.0, k.note()));
    }
    md.append("\n| check | figure | must be |\n|---|---|---|\n");
    row(md, "requests sent (acknowledged by Kafka)", f.requestsSent(), "");
    row(md, "requests with a result", f.requestsWithResult(), "= sent");
    row(md, "**requests lost**", f.lost(), "0");
    row(md, "**duplicate results**", f.duplicateResults(), "0");
    md.append("| results by status | %s | |%n".formatted(f.byStatus()));
    md.append("| … not SUCCEEDED, by reason | %s | |%n".formatted(f.byStatusAndReason()));
    row(md, "billable results (SUCCEEDED)", f.billableResults(), "");
    row(md, "usage events", f.usageEvents(), "= billable results");
    row(md, "**usage events for a request billed twice**", f.usageTwice(), "0");
    row(md, "**billable results without a usage event**", f.billableWithoutUsage(), "0");
    row(md, "**usage events without a billable result**", f.usageWithoutBillableResult(), "0");
    md.append("| billed in all | %s USD | |%n".formatted(f.billedUsd().stripTrailingZeros()));
    row(md, "**RPM overshoot** (requests over the limit in a minute)", f.rpmOvershoot(), "0");
    row(md, "**TPM overshoot** (tokens over the limit in a minute)", f.tpmOvershoot(), "0");
    row(md, "**concurrency overshoot** (in flight over the limit)", f.concurrencyOvershoot(), "0");
    row(md, "**budget overshoot** (tenant-days/months over budget)", f.budgetOvershoot(), "0");
    row(md, "provider calls", f.providerCalls(), "");
    row(md, "requests the provider was called for twice", f.requestsCalledTwice(), "");
    row(md, "calls in flight at the worker kills", f.callsInFlightAtKills(), "");
    row(md, "… twice: call was in flight at a worker kill", f.twiceInFlightAtKill(), "");
    row(
        md,
        "… twice: call ended but its record was not yet acknowledged at a kill",
        f.twiceUnacknowledgedAtKill(),
        "");
    row(
        md,
        "… twice: call ended during a Kafka broker outage (acknowledgement lost)",
        f.twiceAckLostInKafkaOutage(),
        "");
    row(md, "**… twice for another reason**", f.twiceOtherwise(), "0");
    logFindings.forEach((what, count) -> row(md, "log lines: " + what, count, ""));
    return md.toString();
  }

  private static void row(StringBuilder md, String check, long figure, String mustBe) {
    md.append("| %s | %d | %s |%n".formatted(check, figure, mustBe));
  }

  static void write(Path file, String markdown) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, markdown);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
