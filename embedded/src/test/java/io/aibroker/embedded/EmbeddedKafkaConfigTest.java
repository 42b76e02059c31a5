package io.aibroker.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EmbeddedKafkaConfigTest {
  private static final Path DIR = Path.of("target", "not-used");

  @Test
  void defaultsBindLoopbackOnTheStockPort() {
    EmbeddedKafkaConfig config = EmbeddedKafkaConfig.builder(DIR).build();
    assertThat(config.host()).isEqualTo("127.0.0.1");
    assertThat(config.port()).isEqualTo(9092);
    assertThat(config.controllerPort()).isZero();
    assertThat(config.clusterId()).isNull();
    assertThat(config.startupTimeout()).isEqualTo(Duration.ofSeconds(60));
  }

  @Test
  void aFixedPortIsKnownBeforeStart() {
    EmbeddedKafka kafka = new EmbeddedKafka(EmbeddedKafkaConfig.builder(DIR).port(19999).build());
    assertThat(kafka.bootstrapServers()).isEqualTo("127.0.0.1:19999");
    assertThat(kafka.isRunning()).isFalse();
    kafka.close(); // closing a node that never started is fine
  }

  @Test
  void anEphemeralPortIsOnlyKnownAfterStart() {
    EmbeddedKafka kafka = new EmbeddedKafka(EmbeddedKafkaConfig.builder(DIR).port(0).build());
    assertThatThrownBy(kafka::bootstrapServers).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void invalidPortsAreRejected() {
    assertThatThrownBy(() -> EmbeddedKafkaConfig.builder(DIR).port(70_000).build())
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> EmbeddedKafkaConfig.builder(DIR).port(9000).controllerPort(9000).build())
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void brokerDefaultsSuitOneNodeAndOverridesWin() {
    EmbeddedKafka kafka =
        new EmbeddedKafka(
            EmbeddedKafkaConfig.builder(DIR)
                .port(19999)
                .controllerPort(19998)
                .brokerProperty("num.partitions", "2")
                .build());
    Map<String, String> props = kafka.brokerProperties();
    assertThat(props)
        .containsEntry("process.roles", "broker,controller")
        .containsEntry("node.id", "1")
        .containsEntry("controller.quorum.voters", "1@127.0.0.1:19998")
        .containsEntry("listeners", "PLAINTEXT://127.0.0.1:19999,CONTROLLER://127.0.0.1:19998")
        .containsEntry("offsets.topic.replication.factor", "1")
        .containsEntry("transaction.state.log.replication.factor", "1")
        .containsEntry("transaction.state.log.min.isr", "1")
        .containsEntry("share.coordinator.state.topic.replication.factor", "1")
        .containsEntry("share.coordinator.state.topic.min.isr", "1")
        .containsEntry("auto.create.topics.enable", "false")
        .containsEntry("broker.session.timeout.ms", "5000")
        .containsEntry("num.partitions", "2");
    assertThat(props.get("log.dirs")).endsWith("kafka-logs");
  }
}
