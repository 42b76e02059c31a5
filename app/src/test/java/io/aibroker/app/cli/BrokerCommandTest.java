package io.aibroker.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BrokerCommandTest {

  @Test
  void refusesToRunWithoutAnExistingKafkaCluster() {
    var run = CliCluster.runExactly("broker");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err())
        .contains("aibroker broker needs an existing Kafka cluster", "--bootstrap-servers");
  }

  @Test
  void refusesToRunWithoutAnExistingSchemaRegistry() {
    var run = CliCluster.runExactly("broker", "--bootstrap-servers", "localhost:1");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("--schema-registry-url");
  }

  @Test
  void helpListsItsOptionsAndTheTopLevelHelpListsTheCommand() {
    var help = CliCluster.runExactly("broker", "--help");
    var top = CliCluster.runExactly("--help");

    assertThat(help.exitCode()).isZero();
    assertThat(help.out())
        .contains("Usage: aibroker broker", "--bootstrap-servers", "--schema-registry-url")
        .contains("--config", "--http-port", "--help", "--version");
    assertThat(top.out()).containsPattern("(?m)^\\s+broker\\s+Runs the broker only");
  }

  @Test
  void runsTheBrokerWithoutWorkersOnTheGivenCluster() {
    BrokerCommand command = new BrokerCommand();
    new picocli.CommandLine(command)
        .parseArgs(
            "--bootstrap-servers",
            "kafka:19092",
            "--schema-registry-url",
            "http://registry:8081",
            "--http-port",
            "9090");

    var config = command.config();

    assertThat(config.broker().enabled()).isTrue();
    assertThat(config.workers().enabled()).isFalse();
    assertThat(config.kafka().bootstrapServers()).isEqualTo("kafka:19092");
    assertThat(config.http().port()).isEqualTo(9090);
  }
}
