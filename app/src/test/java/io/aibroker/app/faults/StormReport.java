package io.aibroker.app.faults;

import io.aibroker.records.ResultStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** The table of storm figures, as Markdown, for target/ and docs/RELIABILITY.md. */
final class StormReport {

  private final List<StormFigures> rows = new ArrayList<>();

  synchronized void add(StormFigures figures) {
    rows.add(figures);
  }

  synchronized List<StormFigures> rows() {
    return List.copyOf(rows);
  }

  /** The Markdown table, one row per run, under a title naming the storm length. */
  synchronized String markdown(String title) {
    StringBuilder out = new StringBuilder();
    out.append("### ").append(title).append("\n\n");
    out.append(
        "| storm | provider | requests | completion | other results | exactly one result each"
            + " | retries/request | breaker transitions | failovers | served by fallback"
            + " | provider calls (to the stormed deployment during the storm)"
            + " | first call after (p50 / max ms) | calls after deadline (connector / server) |\n");
    out.append("|---|---|---:|---:|---|---|---:|---|---:|---:|---|---|---|\n");
    for (StormFigures row : rows) {
      out.append(
          String.format(
              Locale.ROOT,
              "| %s | %s | %d | %.1f%% | %s | %s | %.2f | %s | %d | %d | %d (%d) | %d / %d | %d / %s"
                  + " |%n",
              row.storm().description(),
              row.provider(),
              row.requests(),
              row.completionPercent(),
              others(row),
              row.exactlyOneResultEach()
                  ? "yes"
                  : "NO (" + row.missingResults() + " missing, " + row.duplicateResults() + " dup)",
              row.retriesPerRequest(),
              transitions(row),
              row.failovers(),
              row.servedByFallback(),
              row.calls(),
              row.stormedCalls(),
              row.firstCallDelayP50Ms(),
              row.firstCallDelayMaxMs(),
              row.callsAfterDeadline(),
              row.serverCalls() < 0 ? "n/a" : Integer.toString(row.serverCallsAfterDeadline())));
    }
    return out.toString();
  }

  /** Writes the table to {@code file} and returns it. */
  String write(Path file, String title) {
    String table = markdown(title);
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, table);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return table;
  }

  private static String others(StormFigures row) {
    String others =
        row.statuses().entrySet().stream()
            .filter(e -> e.getKey() != ResultStatus.SUCCEEDED)
            .map(e -> e.getValue() + " " + e.getKey())
            .collect(Collectors.joining(", "));
    return others.isEmpty() ? "-" : others;
  }

  private static String transitions(StormFigures row) {
    if (row.breakerTransitions().isEmpty()) {
      return "0";
    }
    return row.transitionCount()
        + " ("
        + row.breakerTransitions().entrySet().stream()
            .map(e -> e.getKey().replace("half_open", "half-open") + " " + e.getValue())
            .collect(Collectors.joining(", "))
        + ")";
  }
}
