package io.aibroker.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class SchemaRegistryConfigTest {

  @Test
  void readsCommaSeparatedUrlsWithDefaults() {
    SchemaRegistryConfig config =
        SchemaRegistryConfig.fromProperties(
            Map.of("schema.registry.url", " http://a:8081 , https://b:8082/registry/"));

    assertThat(config.urls())
        .containsExactly(URI.create("http://a:8081"), URI.create("https://b:8082/registry/"));
    assertThat(config.requestTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(config.maxAttempts()).isEqualTo(3);
    assertThat(config.initialBackoff()).isEqualTo(Duration.ofMillis(100));
    assertThat(config.basicAuthUserInfo()).isNull();
  }

  @Test
  void readsUrlListAndRetrySettings() {
    SchemaRegistryConfig config =
        SchemaRegistryConfig.fromProperties(
            Map.of(
                "schema.registry.url",
                List.of("http://a:1", "http://b:2"),
                "schema.registry.request.timeout.ms",
                "2500",
                "schema.registry.max.attempts",
                5,
                "schema.registry.retry.backoff.ms",
                20L));

    assertThat(config.urls()).hasSize(2);
    assertThat(config.requestTimeout()).isEqualTo(Duration.ofMillis(2500));
    assertThat(config.maxAttempts()).isEqualTo(5);
    assertThat(config.initialBackoff()).isEqualTo(Duration.ofMillis(20));
  }

  @Test
  void urlCredentialsSourceTakesUserInfoFromUrlAndStripsIt() {
    SchemaRegistryConfig config =
        SchemaRegistryConfig.fromProperties(
            Map.of(
                "schema.registry.url", "http://bob:pa%40ss@reg:8081",
                "basic.auth.credentials.source", "URL"));

    assertThat(config.basicAuthUserInfo()).isEqualTo("bob:pa@ss");
    assertThat(config.urls()).containsExactly(URI.create("http://reg:8081"));
  }

  @Test
  void ofKeepsUrlCredentialsAsUserInfo() {
    SchemaRegistryConfig config =
        SchemaRegistryConfig.of("http://bob:pw@reg:8081,http://reg2:8081");

    assertThat(config.basicAuthUserInfo()).isEqualTo("bob:pw");
    assertThat(config.urls())
        .containsExactly(URI.create("http://reg:8081"), URI.create("http://reg2:8081"));
  }

  @Test
  void userInfoIsUsedWhenSourceIsAbsent() {
    SchemaRegistryConfig config =
        SchemaRegistryConfig.fromProperties(
            Map.of("schema.registry.url", "http://reg", "basic.auth.user.info", "u:p"));

    assertThat(config.basicAuthUserInfo()).isEqualTo("u:p");
  }

  @Test
  void legacyUserInfoKeyIsAccepted() {
    SchemaRegistryConfig config =
        SchemaRegistryConfig.fromProperties(
            Map.of(
                "schema.registry.url", "http://reg",
                "basic.auth.credentials.source", "USER_INFO",
                "schema.registry.basic.auth.user.info", "u:p"));

    assertThat(config.basicAuthUserInfo()).isEqualTo("u:p");
  }

  @Test
  void userInfoSourceWithoutUserInfoIsRejected() {
    assertThatThrownBy(
            () ->
                SchemaRegistryConfig.fromProperties(
                    Map.of(
                        "schema.registry.url",
                        "http://reg",
                        "basic.auth.credentials.source",
                        "USER_INFO")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("basic.auth.user.info");
  }

  @Test
  void unsupportedCredentialsSourceIsRejected() {
    assertThatThrownBy(
            () ->
                SchemaRegistryConfig.fromProperties(
                    Map.of(
                        "schema.registry.url",
                        "http://reg",
                        "basic.auth.credentials.source",
                        "SASL_INHERIT")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("must be URL or USER_INFO");
  }

  @Test
  void missingUrlIsRejected() {
    assertThatThrownBy(() -> SchemaRegistryConfig.fromProperties(Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("schema.registry.url");
  }

  @Test
  void nonHttpUrlIsRejected() {
    assertThatThrownBy(() -> SchemaRegistryConfig.of("ftp://reg"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("http(s)://host");
  }

  @Test
  void invalidRetrySettingsAreRejected() {
    List<URI> urls = List.of(URI.create("http://reg"));
    assertThatThrownBy(
            () -> new SchemaRegistryConfig(urls, Duration.ofSeconds(1), 0, Duration.ZERO, null))
        .hasMessageContaining("maxAttempts");
    assertThatThrownBy(() -> new SchemaRegistryConfig(urls, Duration.ZERO, 1, Duration.ZERO, null))
        .hasMessageContaining("requestTimeout");
    assertThatThrownBy(
            () ->
                new SchemaRegistryConfig(
                    urls, Duration.ofSeconds(1), 1, Duration.ofMillis(-1), null))
        .hasMessageContaining("initialBackoff");
    assertThatThrownBy(
            () ->
                new SchemaRegistryConfig(List.of(), Duration.ofSeconds(1), 1, Duration.ZERO, null))
        .hasMessageContaining("at least one");
  }

  @Test
  void malformedUserInfoIsRejectedWithoutEchoingIt() {
    assertThatThrownBy(
            () ->
                new SchemaRegistryConfig(
                    List.of(URI.create("http://reg")),
                    Duration.ofSeconds(1),
                    1,
                    Duration.ZERO,
                    "justasecret"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageNotContaining("justasecret");
  }

  @Test
  void urlsWithCredentialsAreRejectedInTheRecordWithoutEchoingThem() {
    assertThatThrownBy(
            () ->
                new SchemaRegistryConfig(
                    List.of(URI.create("http://u:topsecret@reg")),
                    Duration.ofSeconds(1),
                    1,
                    Duration.ZERO,
                    null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageNotContaining("topsecret");
  }

  @Test
  void aUrlWhoseCredentialsCannotBeSplitOffIsRejectedWithoutEchoingThem() {
    // A raw '@' in the password: java.net.URI sees no host and no user info here.
    assertThatThrownBy(() -> SchemaRegistryConfig.of("http://alice:s3c@ret@registry:8081"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("http://registry:8081")
        .hasMessageNotContaining("s3c")
        .hasMessageNotContaining("alice");
  }

  @Test
  void toStringHidesCredentials() {
    SchemaRegistryConfig config =
        SchemaRegistryConfig.fromProperties(
            Map.of("schema.registry.url", "http://reg", "basic.auth.user.info", "user:topsecret"));

    assertThat(config.toString())
        .doesNotContain("topsecret")
        .contains("basicAuthUserInfo=[hidden]");
    assertThat(SchemaRegistryConfig.of("http://reg").toString()).contains("basicAuthUserInfo=none");
  }
}
