package io.aibroker.connector.bedrock;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Configuration of the Bedrock connector. {@code null} durations and a {@code maxConcurrency} of 0
 * take the defaults, so a YAML section only names what it changes:
 *
 * <pre>{@code
 * bedrock:
 *   region: us-east-1
 *   requestTimeout: 90s
 *   maxConcurrency: 2000
 * }</pre>
 *
 * @param region the AWS region, e.g. {@code us-east-1}; required, because looking it up (env,
 *     profile, instance metadata) could mean network I/O when the connector is created
 * @param endpointOverride another endpoint than Bedrock's regional one (a VPC endpoint, or a local
 *     fake in tests); {@code null} for the default
 * @param apiKey a Bedrock API key, sent as {@code Authorization: Bearer}; {@code null} means the
 *     {@code AWS_BEARER_TOKEN_BEDROCK} environment variable if set, else SigV4 with the default AWS
 *     credentials chain
 * @param connectTimeout how long to wait for a TCP/TLS connection; default {@value
 *     #DEFAULT_CONNECT_TIMEOUT_SECONDS}s
 * @param requestTimeout how long a whole call may take, including a whole streamed reply (the
 *     call's deadline shortens it); default {@value #DEFAULT_REQUEST_TIMEOUT_SECONDS}s
 * @param maxConcurrency most requests in flight (HTTP/1.1 connections) at once; more wait for a
 *     connection; default {@value #DEFAULT_MAX_CONCURRENCY}
 * @param batch batch inference settings; {@code null} (default) leaves batch off
 */
public record BedrockConfig(
    String region,
    URI endpointOverride,
    String apiKey,
    Duration connectTimeout,
    Duration requestTimeout,
    int maxConcurrency,
    BedrockBatchConfig batch) {

  /** Connect timeout when none is configured, in seconds. */
  public static final long DEFAULT_CONNECT_TIMEOUT_SECONDS = 5;

  /** Request timeout when none is configured, in seconds. */
  public static final long DEFAULT_REQUEST_TIMEOUT_SECONDS = 120;

  /** Connection limit when none is configured. */
  public static final int DEFAULT_MAX_CONCURRENCY = 1000;

  private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z0-9]+)+-\\d+");

  /** Fills in defaults and validates. */
  public BedrockConfig {
    Objects.requireNonNull(region, "region is required, e.g. us-east-1");
    region = region.trim().toLowerCase(Locale.ROOT);
    if (!REGION.matcher(region).matches()) {
      throw new IllegalArgumentException(
          "region must be an AWS region name like us-east-1, was '" + region + "'");
    }
    if (endpointOverride != null) {
      validateEndpoint("endpointOverride", endpointOverride);
    }
    if (apiKey != null && apiKey.isBlank()) {
      throw new IllegalArgumentException(
          "apiKey must not be blank; leave it out to use AWS_BEARER_TOKEN_BEDROCK or AWS"
              + " credentials");
    }
    connectTimeout =
        positive(
            "connectTimeout",
            Objects.requireNonNullElse(
                connectTimeout, Duration.ofSeconds(DEFAULT_CONNECT_TIMEOUT_SECONDS)));
    requestTimeout =
        positive(
            "requestTimeout",
            Objects.requireNonNullElse(
                requestTimeout, Duration.ofSeconds(DEFAULT_REQUEST_TIMEOUT_SECONDS)));
    if (maxConcurrency < 0) {
      throw new IllegalArgumentException(
          "maxConcurrency must be positive (or 0 for the default), was " + maxConcurrency);
    }
    maxConcurrency = maxConcurrency == 0 ? DEFAULT_MAX_CONCURRENCY : maxConcurrency;
  }

  /** Without batch inference. */
  public BedrockConfig(
      String region,
      URI endpointOverride,
      String apiKey,
      Duration connectTimeout,
      Duration requestTimeout,
      int maxConcurrency) {
    this(region, endpointOverride, apiKey, connectTimeout, requestTimeout, maxConcurrency, null);
  }

  /** Bedrock in {@code region} with the default endpoint, credentials and limits. */
  public static BedrockConfig defaults(String region) {
    return new BedrockConfig(region, null, null, null, null, 0);
  }

  /** A copy with batch inference as {@code batch} says; {@code null} turns it off. */
  public BedrockConfig withBatch(BedrockBatchConfig batch) {
    return new BedrockConfig(
        region, endpointOverride, apiKey, connectTimeout, requestTimeout, maxConcurrency, batch);
  }

  /** A copy talking to {@code endpointOverride} instead. */
  public BedrockConfig withEndpointOverride(URI endpointOverride) {
    return new BedrockConfig(
        region, endpointOverride, apiKey, connectTimeout, requestTimeout, maxConcurrency, batch);
  }

  /** A copy authenticating with the Bedrock API key {@code apiKey}. */
  public BedrockConfig withApiKey(String apiKey) {
    return new BedrockConfig(
        region, endpointOverride, apiKey, connectTimeout, requestTimeout, maxConcurrency, batch);
  }

  /** A copy with another request timeout. */
  public BedrockConfig withRequestTimeout(Duration requestTimeout) {
    return new BedrockConfig(
        region, endpointOverride, apiKey, connectTimeout, requestTimeout, maxConcurrency, batch);
  }

  /** Shows whether an API key is set, never the key. */
  @Override
  public String toString() {
    return "BedrockConfig[region="
        + region
        + ", endpointOverride="
        + endpointOverride
        + ", apiKey="
        + (apiKey == null ? "null" : "***")
        + ", connectTimeout="
        + connectTimeout
        + ", requestTimeout="
        + requestTimeout
        + ", maxConcurrency="
        + maxConcurrency
        + ", batch="
        + batch
        + "]";
  }

  /** Requires an absolute http(s) URI without user info; {@code name} names the setting. */
  static void validateEndpoint(String name, URI endpoint) {
    String scheme = endpoint.getScheme();
    if (scheme == null
        || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
        || endpoint.getHost() == null) {
      throw new IllegalArgumentException(
          name + " must be an absolute http(s) URI like https://host:port, was '" + endpoint + "'");
    }
    if (endpoint.getUserInfo() != null) {
      // The SDK would send it nowhere useful, and it would show up in toString and logs.
      throw new IllegalArgumentException(name + " must not contain user info");
    }
  }

  private static Duration positive(String name, Duration value) {
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, was " + value);
    }
    return value;
  }
}
