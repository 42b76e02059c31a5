package io.aibroker.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code aibroker bench --smoke}: every scenario runs for a second or so against the real platform
 * in child JVMs (no thresholds: the figures of a smoke run mean nothing), so the benchmark cannot
 * rot. Checks that the report has a table with numbers for each scenario.
 */
class BenchSmokeIT {

  private static final Pattern ROW_WITH_NUMBER = Pattern.compile("(?m)^\\|[^\\n]*\\d[^\\n]*\\|$");

  @Test
  void smokeRunWritesATableWithNumbersForEveryScenario(@TempDir Path dir) throws Exception {
    Path report = dir.resolve("PERFORMANCE.md");
    Files.writeString(report, "# Performance\n\nhand-written analysis stays\n");

    int exit =
        BenchMain.execute(
            "bench",
            "--smoke",
            "--work-dir",
            dir.resolve("work").toString(),
            "--out",
            report.toString());

    String text = Files.readString(report);
    assertThat(exit).as(text).isZero();
    assertThat(text)
        .contains("hand-written analysis stays")
        .doesNotContain("Problems during this run");
    for (String section :
        List.of(
            "Machine",
            "Raw Kafka baseline",
            "Pipeline throughput (exactly-once)",
            "Added latency",
            "The floor: the same hops without their work",
            "Kafka records written per request",
            "Cache hits",
            "Worker capacity",
            "Growth",
            "HTTP overhead (`/v1/chat/completions`)",
            "Microbenchmarks (JMH)")) {
      String body = sectionOf(text, section);
      assertThat(ROW_WITH_NUMBER.matcher(body).results().count())
          .as("rows with numbers under '%s' in\n%s", section, text)
          .isGreaterThanOrEqualTo(1);
    }
    assertThat(sectionOf(text, "Raw Kafka baseline"))
        .as("the raw baseline's consumer read what was sent")
        .containsPattern("\\|max throughput\\|[^|]+\\|[1-9][0-9,]*/s\\|(?:[^|]*\\|){4}0 / 0\\|");
    assertThat(sectionOf(text, "Added latency"))
        .contains("Where the time goes")
        .contains("exactly-once (default)")
        .contains("low-latency (at-least-once)");
    assertThat(sectionOf(text, "Microbenchmarks (JMH)"))
        .contains("cacheKey")
        .contains("quotaAdmitAndSettle")
        .contains("route")
        .contains("serializeRequest");
  }

  private static String sectionOf(String text, String title) {
    int start = text.indexOf("### " + title + "\n");
    assertThat(start).as("section '%s' in\n%s", title, text).isNotNegative();
    int end = text.indexOf("\n### ", start + 4);
    return text.substring(start, end < 0 ? text.length() : end);
  }
}
