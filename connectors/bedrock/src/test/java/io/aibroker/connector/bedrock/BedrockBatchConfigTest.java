package io.aibroker.connector.bedrock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aibroker.connector.Connectors;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BedrockBatchConfigTest {

  private static final String ROLE = "arn:aws:iam::123456789012:role/bedrock-batch";

  private final BedrockConnectorFactory factory = new BedrockConnectorFactory();

  @Test
  void readsTheKebabCaseYamlSection() {
    BedrockConfig config =
        Connectors.config(
            factory,
            Map.of(
                "region",
                "us-east-1",
                "batch",
                Map.of(
                    "endpoint-override", "http://127.0.0.1:9001",
                    "s3-endpoint-override", "http://127.0.0.1:9002",
                    "input-s3-uri", "s3://bucket/in/",
                    "output-s3-uri", "s3://bucket/out",
                    "role-arn", ROLE,
                    "timeout-hours", 48)));

    assertThat(config.batch())
        .isEqualTo(
            new BedrockBatchConfig(
                URI.create("http://127.0.0.1:9001"),
                URI.create("http://127.0.0.1:9002"),
                "s3://bucket/in/",
                "s3://bucket/out/",
                ROLE,
                48));
    assertThat(config.batch().timeout()).isEqualTo(Duration.ofHours(48));
  }

  @Test
  void batchIsOffUnlessConfigured() {
    BedrockConfig config = Connectors.config(factory, Map.of("region", "us-east-1"));

    assertThat(config.batch()).isNull();
    try (BedrockConnector connector = new BedrockConnector(config, Clock.systemUTC())) {
      assertThat(connector.batch()).isEmpty();
    }
  }

  @Test
  void defaultsTheTimeoutAndAddsTheTrailingSlash() {
    BedrockBatchConfig batch = BedrockBatchConfig.of("s3://bucket", "s3://bucket/a/b", ROLE);

    assertThat(batch.timeoutHours()).isEqualTo(BedrockBatchConfig.DEFAULT_TIMEOUT_HOURS);
    assertThat(batch.inputS3Uri()).isEqualTo("s3://bucket/");
    assertThat(batch.outputS3Uri()).isEqualTo("s3://bucket/a/b/");
    assertThat(batch.output()).isEqualTo(new S3Location("bucket", "a/b/"));
    assertThat(batch.endpointOverride()).isNull();
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 23, 169})
  void timeoutIsWithinTheServiceLimits(int hours) {
    assertThatThrownBy(
            () -> new BedrockBatchConfig(null, null, "s3://b1b/in/", "s3://b1b/out/", ROLE, hours))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("timeout-hours");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "bucket/prefix/", "https://bucket/prefix/", "s3://B/x/", "s3://"})
  void s3UrisMustBeS3Uris(String uri) {
    assertThatThrownBy(() -> BedrockBatchConfig.of(uri, "s3://bucket/out/", ROLE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("input-s3-uri");
    assertThatThrownBy(() -> BedrockBatchConfig.of("s3://bucket/in/", uri, ROLE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("output-s3-uri");
  }

  @Test
  void roleArnIsRequiredAndMustBeARole() {
    assertThatThrownBy(() -> BedrockBatchConfig.of("s3://bucket/in/", "s3://bucket/out/", null))
        .hasMessageContaining("role-arn");
    assertThatThrownBy(
            () ->
                BedrockBatchConfig.of(
                    "s3://bucket/in/", "s3://bucket/out/", "arn:aws:iam::123456789012:user/me"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("role-arn");
    assertThat(
            BedrockBatchConfig.of(
                    "s3://bucket/in/", "s3://bucket/out/", "arn:aws-cn:iam::123456789012:role/r")
                .roleArn())
        .isEqualTo("arn:aws-cn:iam::123456789012:role/r");
  }

  @Test
  void endpointsMustBeHttpWithoutUserInfo() {
    assertThatThrownBy(
            () ->
                new BedrockBatchConfig(
                    URI.create("ftp://host"), null, "s3://bucket/in/", "s3://bucket/out/", ROLE, 0))
        .hasMessageContaining("batch.endpoint-override");
    assertThatThrownBy(
            () ->
                new BedrockBatchConfig(
                    null,
                    URI.create("http://user:pw@host:9000"),
                    "s3://bucket/in/",
                    "s3://bucket/out/",
                    ROLE,
                    0))
        .hasMessageContaining("batch.s3-endpoint-override")
        .hasMessageNotContaining("pw");
  }

  @Test
  void unknownBatchSettingsAreRejected() {
    assertThatThrownBy(
            () ->
                Connectors.config(
                    factory,
                    Map.of(
                        "region",
                        "us-east-1",
                        "batch",
                        Map.of(
                            "input-s3-uri", "s3://bucket/in/",
                            "output-s3-uri", "s3://bucket/out/",
                            "role-arn", ROLE,
                            "bucket-owner", "x"))))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
