package io.aibroker.app.badinput;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Writes the corpus as a Markdown table (kind, sender, expected, observed) under target/. */
final class CorpusReport {

  static final Path FILE = Path.of("target", "badinput", "corpus.md");

  private CorpusReport() {}

  static Path write(
      List<CorpusCase> cases,
      Map<String, List<Observed>> ends,
      ValidLoad.Outcome baseline,
      ValidLoad.Outcome underCorpus) {
    StringBuilder out = new StringBuilder();
    long ok =
        cases.stream()
            .filter(c -> c.expected().matches(ends.getOrDefault(c.id(), List.of())))
            .count();
    out.append("# Bad-input corpus\n\n");
    out.append(
        String.format(
            Locale.ROOT,
            "%d cases (%d records), %d ended as declared.%n%n",
            cases.size(),
            cases.stream().mapToInt(c -> Math.max(1, c.records().size())).sum(),
            ok));
    out.append(
        String.format(
            Locale.ROOT,
            "Valid traffic (one tenant, Java client, %d requests each): %.0f req/s alone, %.0f"
                + " req/s while the corpus was sent (%.0f%%); SUCCEEDED %d/%d and %d/%d.%n%n",
            baseline.requests(),
            baseline.perSecond(),
            underCorpus.perSecond(),
            100.0 * underCorpus.perSecond() / baseline.perSecond(),
            baseline.succeeded(),
            baseline.requests(),
            underCorpus.succeeded(),
            underCorpus.requests()));
    out.append("| # | case | kind | sender | expected | observed | ok |\n");
    out.append("|---|---|---|---|---|---|---|\n");
    int n = 1;
    for (CorpusCase c : cases) {
      List<Observed> observed = ends.getOrDefault(c.id(), List.of());
      out.append("| ")
          .append(n++)
          .append(" | `")
          .append(c.id())
          .append("` | ")
          .append(c.kind().replace("|", "\\|"))
          .append(" | ")
          .append(c.sender().name().toLowerCase(Locale.ROOT))
          .append(" | ")
          .append(c.expected().describe().replace("|", "\\|"))
          .append(" | ")
          .append(
              observed.isEmpty()
                  ? "nothing"
                  : String.join("; ", observed.stream().map(Observed::describe).toList()))
          .append(" | ")
          .append(c.expected().matches(observed) ? "yes" : "**NO**")
          .append(" |\n");
    }
    try {
      Files.createDirectories(FILE.getParent());
      Files.writeString(FILE, out.toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return FILE.toAbsolutePath();
  }
}
