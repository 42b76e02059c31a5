package io.aibroker.connector.azureopenai;

import com.azure.ai.openai.OpenAIServiceVersion;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Configuration of the Azure OpenAI connector. Only {@code endpoint} is required; in the app's YAML
 * the settings are kebab-case ({@code api-version} for {@link #apiVersion}):
 *
 * <pre>{@code
 * azure-openai:
 *   endpoint: https://my-resource.openai.azure.com
 *   api-version: 2025-01-01-preview
 *   connect-timeout: 5s
 *   request-timeout: 2m
 * }</pre>
 *
 * <p>Global Batch jobs ({@link AzureOpenAiConnector#batch()}) use the same resource, key or Entra
 * ID and api-version; they need api-version 2024-07-01-preview or later (the default is), and go to
 * the Global Batch deployment the route names.
 *
 * <p>Which deployment a call goes to is not configured here: it is the route's {@code deployment}
 * (the Azure deployment name), or the route's {@code providerModel} when the route names no
 * deployment.
 *
 * @param endpoint the resource endpoint, {@code https://<resource>.openai.azure.com}; must be HTTPS
 *     because the SDK refuses to send keys or tokens in clear text; a trailing slash is dropped
 * @param apiKey the resource key; {@code null} reads {@value #API_KEY_ENV}, and if that is unset
 *     too the connector authenticates with Entra ID ({@code DefaultAzureCredential}: managed
 *     identity, workload identity, environment, az login), so no key needs to exist at all. Prefer
 *     the environment or Entra ID over writing a key into a config file
 * @param apiVersion the {@code api-version} to call, one of {@link OpenAIServiceVersion}'s; default
 *     {@value #DEFAULT_API_VERSION}. Streaming needs 2024-09-01-preview or later: older versions do
 *     not report usage on streams, and a stream without usage fails
 * @param connectTimeout how long to wait for a TCP+TLS connection; default 10s
 * @param requestTimeout the longest a whole call may take, streams included (the call's deadline
 *     may cut it shorter); default 2m
 * @param maxConnections the most connections to the endpoint at once; calls beyond wait for one
 *     (HTTP/1.1: every call in flight, notably every open stream, holds one); 0 means the default
 *     {@value #DEFAULT_MAX_CONNECTIONS}
 */
public record AzureOpenAiConfig(
    URI endpoint,
    String apiKey,
    String apiVersion,
    Duration connectTimeout,
    Duration requestTimeout,
    int maxConnections) {

  /** Environment variable read for the key when {@code apiKey} is not configured. */
  public static final String API_KEY_ENV = "AZURE_OPENAI_API_KEY";

  /** The api-version used when none is configured: the SDK's newest. */
  public static final String DEFAULT_API_VERSION = "2025-01-01-preview";

  /** Connect timeout when none is configured. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);

  /** Request timeout when none is configured; long generations and streams take minutes. */
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofMinutes(2);

  /** Connection limit when none is configured; the same as the SDK's own default pool. */
  public static final int DEFAULT_MAX_CONNECTIONS = 500;

  /** Fills in defaults and validates; messages never include the key. */
  public AzureOpenAiConfig {
    endpoint = normalizedEndpoint(endpoint);
    if (apiKey != null && apiKey.isBlank()) {
      throw new IllegalArgumentException(
          "apiKey must not be blank; leave it out to use " + API_KEY_ENV + " or Entra ID");
    }
    apiVersion = Objects.requireNonNullElse(apiVersion, DEFAULT_API_VERSION).trim();
    serviceVersion(apiVersion);
    connectTimeout =
        positive(
            "connectTimeout", Objects.requireNonNullElse(connectTimeout, DEFAULT_CONNECT_TIMEOUT));
    requestTimeout =
        positive(
            "requestTimeout", Objects.requireNonNullElse(requestTimeout, DEFAULT_REQUEST_TIMEOUT));
    if (maxConnections < 0) {
      throw new IllegalArgumentException(
          "maxConnections must be positive (0 for the default), was " + maxConnections);
    }
    maxConnections = maxConnections == 0 ? DEFAULT_MAX_CONNECTIONS : maxConnections;
  }

  /** A config for {@code endpoint} with every other setting at its default. */
  public static AzureOpenAiConfig of(URI endpoint) {
    return new AzureOpenAiConfig(endpoint, null, null, null, null, 0);
  }

  /** A copy with another key ({@code null}: environment or Entra ID). */
  public AzureOpenAiConfig withApiKey(String apiKey) {
    return new AzureOpenAiConfig(
        endpoint, apiKey, apiVersion, connectTimeout, requestTimeout, maxConnections);
  }

  /** A copy with another request timeout. */
  public AzureOpenAiConfig withRequestTimeout(Duration requestTimeout) {
    return new AzureOpenAiConfig(
        endpoint, apiKey, apiVersion, connectTimeout, requestTimeout, maxConnections);
  }

  /** {@link #apiVersion()} as the SDK's enum. */
  public OpenAIServiceVersion serviceVersion() {
    return serviceVersion(apiVersion);
  }

  /** Never shows the key, only whether one is configured. */
  @Override
  public String toString() {
    return "AzureOpenAiConfig[endpoint="
        + endpoint
        + ", apiKey="
        + (apiKey == null ? "<unset: " + API_KEY_ENV + " or Entra ID>" : "***")
        + ", apiVersion="
        + apiVersion
        + ", connectTimeout="
        + connectTimeout
        + ", requestTimeout="
        + requestTimeout
        + ", maxConnections="
        + maxConnections
        + "]";
  }

  private static URI normalizedEndpoint(URI endpoint) {
    if (endpoint == null) {
      throw new IllegalArgumentException(
          "endpoint is required, e.g. https://my-resource.openai.azure.com");
    }
    // Messages name the host only: a URI's user info or query could hold a credential.
    if (endpoint.getScheme() == null || endpoint.getHost() == null) {
      throw new IllegalArgumentException(
          "endpoint must be an absolute https URL, e.g. https://my-resource.openai.azure.com");
    }
    if (!endpoint.getScheme().toLowerCase(Locale.ROOT).equals("https")) {
      throw new IllegalArgumentException(
          "endpoint must use https (the Azure SDK never sends keys or tokens over "
              + endpoint.getScheme()
              + "), was "
              + endpoint.getScheme()
              + "://"
              + endpoint.getHost());
    }
    if (endpoint.getRawUserInfo() != null
        || endpoint.getRawQuery() != null
        || endpoint.getRawFragment() != null) {
      throw new IllegalArgumentException(
          "endpoint must not have user info, a query or a fragment: " + endpoint.getHost());
    }
    String text = endpoint.toString();
    while (text.endsWith("/")) {
      text = text.substring(0, text.length() - 1);
    }
    return URI.create(text);
  }

  private static OpenAIServiceVersion serviceVersion(String apiVersion) {
    for (OpenAIServiceVersion version : OpenAIServiceVersion.values()) {
      if (version.getVersion().equals(apiVersion)) {
        return version;
      }
    }
    throw new IllegalArgumentException(
        "apiVersion '"
            + apiVersion
            + "' is not one this SDK knows; known: "
            + Arrays.stream(OpenAIServiceVersion.values())
                .map(OpenAIServiceVersion::getVersion)
                .collect(Collectors.joining(", ")));
  }

  private static Duration positive(String name, Duration value) {
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, was " + value);
    }
    return value;
  }
}
