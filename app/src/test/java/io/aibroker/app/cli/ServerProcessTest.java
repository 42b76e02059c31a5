package io.aibroker.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ServerProcessTest {

  @Test
  void theReadyLinesEndpointsShowNoCredentials() {
    String endpoints =
        ServerProcess.endpoints(
            "SASL_SSL://kafka-1:9093,kafka-2:9093",
            "http://alice:s3cret@registry-1:8081,https://bob:t0p@registry-2:8081",
            "http://127.0.0.1:8080");

    assertThat(endpoints)
        .isEqualTo(
            "kafka SASL_SSL://kafka-1:9093,kafka-2:9093, schema registry"
                + " http://registry-1:8081,https://registry-2:8081, http http://127.0.0.1:8080")
        .doesNotContain("alice", "s3cret", "bob", "t0p");
  }
}
