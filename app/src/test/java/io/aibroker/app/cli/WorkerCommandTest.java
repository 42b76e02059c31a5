package io.aibroker.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.aibroker.app.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class WorkerCommandTest {

  @Test
  void refusesToRunWithoutAnExistingKafkaCluster() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream original = System.err;
    int exit;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      exit = Main.execute("worker", "--provider", "simulated");
    } finally {
      System.setErr(original);
    }

    assertThat(exit).isEqualTo(Main.EXIT_ERROR);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("needs an existing Kafka cluster")
        .contains("--bootstrap-servers");
  }

  @Test
  void refusesToRunWithoutAnExistingSchemaRegistry() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream original = System.err;
    int exit;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      exit = Main.execute("worker", "--bootstrap-servers", "localhost:1");
    } finally {
      System.setErr(original);
    }

    assertThat(exit).isEqualTo(Main.EXIT_ERROR);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("--schema-registry-url");
  }
}
