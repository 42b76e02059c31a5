package io.aibroker.connector.azureopenai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.ai.openai.OpenAIServiceVersion;
import io.aibroker.connector.Connectors;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AzureOpenAiConfigTest {

  private static final URI ENDPOINT = URI.create("https://my-resource.openai.azure.com");
  private final AzureOpenAiConnectorFactory factory = new AzureOpenAiConnectorFactory();

  @Test
  void onlyTheEndpointIsRequired() {
    AzureOpenAiConfig config = Connectors.config(factory, Map.of("endpoint", ENDPOINT.toString()));

    assertThat(config).isEqualTo(AzureOpenAiConfig.of(ENDPOINT));
    assertThat(config.apiKey()).isNull();
    assertThat(config.apiVersion()).isEqualTo("2025-01-01-preview");
    assertThat(config.serviceVersion()).isEqualTo(OpenAIServiceVersion.V2025_01_01_PREVIEW);
    assertThat(config.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(config.requestTimeout()).isEqualTo(Duration.ofMinutes(2));
    assertThat(config.maxConnections()).isEqualTo(500);
  }

  @Test
  void buildsFromAYamlShapedMap() {
    AzureOpenAiConfig config =
        Connectors.config(
            factory,
            Map.of(
                "endpoint", "https://my-resource.openai.azure.com/",
                "apiKey", "k",
                "apiVersion", "2024-06-01",
                "connectTimeout", "2s",
                "requestTimeout", "PT30S",
                "maxConnections", 64));

    assertThat(config)
        .isEqualTo(
            new AzureOpenAiConfig(
                ENDPOINT, "k", "2024-06-01", Duration.ofSeconds(2), Duration.ofSeconds(30), 64));
    assertThat(config.serviceVersion()).isEqualTo(OpenAIServiceVersion.V2024_06_01);
  }

  @Test
  void trailingSlashesAreDropped() {
    assertThat(AzureOpenAiConfig.of(URI.create("https://x.openai.azure.com//")).endpoint())
        .isEqualTo(URI.create("https://x.openai.azure.com"));
  }

  @Test
  void endpointIsRequiredAndMustBeHttps() {
    assertThatThrownBy(() -> Connectors.config(factory, Map.of()))
        .hasMessageContaining("connector 'azure-openai'")
        .hasMessageContaining("endpoint is required");
    assertThatThrownBy(() -> AzureOpenAiConfig.of(URI.create("http://x.openai.azure.com")))
        .hasMessageContaining("endpoint must use https");
    assertThatThrownBy(() -> AzureOpenAiConfig.of(URI.create("x.openai.azure.com")))
        .hasMessageContaining("absolute https URL");
  }

  @Test
  void endpointWithCredentialsOrQueryIsRejectedWithoutEchoingThem() {
    assertThatThrownBy(() -> AzureOpenAiConfig.of(URI.create("https://user:pw@x.openai.azure.com")))
        .hasMessageContaining("must not have user info")
        .hasMessageNotContaining("pw");
    assertThatThrownBy(() -> AzureOpenAiConfig.of(URI.create("https://x.openai.azure.com?sig=abc")))
        .hasMessageNotContaining("abc");
  }

  @Test
  void unknownApiVersionListsTheKnownOnes() {
    assertThatThrownBy(
            () ->
                Connectors.config(
                    factory, Map.of("endpoint", ENDPOINT.toString(), "apiVersion", "2099-01-01")))
        .hasMessageContaining("apiVersion '2099-01-01' is not one this SDK knows")
        .hasMessageContaining("2024-06-01")
        .hasMessageContaining("2025-01-01-preview");
  }

  @Test
  void rejectsBlankKeyNonPositiveTimeoutsAndNegativeConnections() {
    assertThatThrownBy(() -> AzureOpenAiConfig.of(ENDPOINT).withApiKey(" "))
        .hasMessageContaining("apiKey must not be blank");
    assertThatThrownBy(() -> AzureOpenAiConfig.of(ENDPOINT).withRequestTimeout(Duration.ZERO))
        .hasMessage("requestTimeout must be positive, was PT0S");
    assertThatThrownBy(
            () -> new AzureOpenAiConfig(ENDPOINT, null, null, Duration.ofSeconds(-1), null, 0))
        .hasMessageContaining("connectTimeout must be positive");
    assertThatThrownBy(() -> new AzureOpenAiConfig(ENDPOINT, null, null, null, null, -1))
        .hasMessageContaining("maxConnections");
  }

  @Test
  void misspelledPropertyIsNamed() {
    assertThatThrownBy(
            () ->
                Connectors.config(factory, Map.of("endpoint", ENDPOINT.toString(), "apikey", "k")))
        .hasMessageContaining("unknown property 'apikey'")
        .hasMessageContaining("apiKey");
  }

  @Test
  void toStringNeverShowsTheKey() {
    AzureOpenAiConfig config = AzureOpenAiConfig.of(ENDPOINT).withApiKey("super-secret-key");

    assertThat(config.toString()).doesNotContain("super-secret-key").contains("apiKey=***");
    assertThat(AzureOpenAiConfig.of(ENDPOINT).toString()).contains("AZURE_OPENAI_API_KEY");
  }
}
