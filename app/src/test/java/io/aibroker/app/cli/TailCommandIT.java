package io.aibroker.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code aibroker tail results|usage}: one readable line per record, content hidden. */
class TailCommandIT {

  private static final String PROMPT = "tail-secret-prompt";

  @TempDir static Path dataDir;
  static CliPlatform platform;

  @BeforeAll
  static void start() throws Exception {
    platform = CliPlatform.start(dataDir);
    for (int i = 0; i < 3; i++) {
      var run = platform.run("submit", "--tenant", "tailer", PROMPT + " " + i);
      assertThat(run.exitCode()).as(run.err()).isZero();
    }
  }

  @AfterAll
  static void stop() {
    if (platform != null) {
      platform.close();
    }
  }

  @Test
  void tailResultsMaxThreePrintsThreeReadableLinesWithoutContent() {
    var run = platform.run("tail", "results", "--from-beginning", "--max", "3", "--wait", "60s");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out().strip().lines()).hasSize(3);
    assertThat(run.out().strip().lines())
        .allSatisfy(
            line ->
                assertThat(line)
                    .contains("tailer", "SUCCEEDED", "simulated/sim-chat-1", "tokens ", "$")
                    .doesNotContain(PROMPT));
  }

  @Test
  void showContentIncludesTheOutput() {
    var run =
        platform.run(
            "tail", "results", "--from-beginning", "--max", "1", "--wait", "60s", "--show-content");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains(PROMPT);
  }

  @Test
  void jsonPrintsTheRecordWithoutItsOutputText() throws Exception {
    var run =
        platform.run(
            "tail",
            "results",
            "--from-beginning",
            "--tenant",
            "tailer",
            "--max",
            "1",
            "--json",
            "--wait",
            "60s");

    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode result = new ObjectMapper().readTree(run.out());
    assertThat(result.get("tenantId").asText()).isEqualTo("tailer");
    assertThat(result.get("status").asText()).isEqualTo("SUCCEEDED");
    assertThat(run.out()).doesNotContain(PROMPT);
  }

  @Test
  void tailUsagePrintsOneLinePerUsageEvent() {
    var run =
        platform.run(
            "tail",
            "usage",
            "--from-beginning",
            "--tenant",
            "tailer",
            "--max",
            "3",
            "--wait",
            "60s");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out().strip().lines())
        .hasSize(3)
        .allSatisfy(line -> assertThat(line).contains("tailer", "chat-default", "cache-"));
  }

  @Test
  void stopsAfterWaitWithoutNewRecords() {
    var run = platform.run("tail", "results", "--tenant", "nobody", "--wait", "1s");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).isEmpty();
  }

  @Test
  void anUnknownTopicIsAUsageError() {
    var run = platform.run("tail", "requests");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("results, usage, dlq");
  }
}
