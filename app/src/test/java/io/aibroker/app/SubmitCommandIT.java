package io.aibroker.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code aibroker submit}: its output and exit codes. */
class SubmitCommandIT {

  @TempDir static Path dataDir;
  static Platform platform;

  @BeforeAll
  static void start() throws Exception {
    platform =
        Platform.start(TestPlatforms.config(TestPlatforms.freePorts(dataDir)), Clock.systemUTC());
  }

  @AfterAll
  static void stop() {
    if (platform != null) {
      platform.close();
    }
  }

  record Run(int exitCode, String out, String err) {}

  private static Run submit(String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    var outBytes = new ByteArrayOutputStream();
    var errBytes = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(outBytes, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(errBytes, true, StandardCharsets.UTF_8));
      String[] full = new String[args.length + 1];
      full[0] = "submit";
      System.arraycopy(args, 0, full, 1, args.length);
      int code = Main.execute(full);
      return new Run(
          code,
          outBytes.toString(StandardCharsets.UTF_8),
          errBytes.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }

  private static String[] connection() {
    return new String[] {
      "--bootstrap-servers", platform.bootstrapServers(),
      "--schema-registry-url", platform.schemaRegistryUrl()
    };
  }

  private static String[] with(String[] first, String... rest) {
    String[] all = new String[first.length + rest.length];
    System.arraycopy(first, 0, all, 0, first.length);
    System.arraycopy(rest, 0, all, first.length, rest.length);
    return all;
  }

  @Test
  void printsASucceededResultAsOneJsonObjectAndExitsZero() throws Exception {
    Run run = submit(with(connection(), "--tenant", "acme", "--model", "chat-default", "Hello"));

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out().strip().lines()).hasSize(1);
    JsonNode result = new ObjectMapper().readTree(run.out());
    assertThat(result.get("status").asText()).isEqualTo("SUCCEEDED");
    assertThat(result.get("tenantId").asText()).isEqualTo("acme");
    assertThat(result.at("/output/text").asText()).contains("Hello");
    assertThat(result.at("/usage/outputTokens").asLong()).isPositive();
  }

  @Test
  void exitsTwoForARejectedRequest() throws Exception {
    Run run = submit(with(connection(), "--tenant", "acme", "--model", "no-such-model", "Hello"));

    assertThat(run.exitCode()).isEqualTo(2);
    JsonNode result = new ObjectMapper().readTree(run.out());
    assertThat(result.get("status").asText()).isEqualTo("REJECTED");
    assertThat(result.get("reason").asText()).isEqualTo("UNKNOWN_MODEL");
  }

  @Test
  void exitsOneWithAOneLineMessageForAUsageError() {
    Run run = submit(with(connection(), "Hello"));

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("--tenant").doesNotContain("\tat ");
  }

  @Test
  void exitsOneWithAOneLineMessageWhenTheRegistryCannotBeReached() {
    int closedPort = TestPlatforms.freePort();
    Run run =
        submit(
            "--bootstrap-servers",
            platform.bootstrapServers(),
            "--schema-registry-url",
            "http://127.0.0.1:" + closedPort,
            "--tenant",
            "acme",
            "Hello");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err().strip().lines()).hasSize(1);
    assertThat(run.err()).startsWith("aibroker: ").doesNotContain("\tat ");
  }
}
