package io.aibroker.registry;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.config.ConfigException;

/**
 * Settings of a {@link RestSchemaRegistryClient}, validated on construction.
 *
 * <p>{@link #toString()} never shows the credentials.
 *
 * @param urls base URLs of the registry instances, without credentials; on a connection error the
 *     client fails over to the next one
 * @param requestTimeout time limit of one HTTP request, also used as the connect timeout
 * @param maxAttempts how often a call is tried in total when the registry is unreachable or answers
 *     with a 5xx status (4xx answers are never retried)
 * @param initialBackoff wait before the first retry; doubled for each further one, with jitter
 * @param basicAuthUserInfo {@code user:password} for HTTP basic authentication, or null for none
 */
public record SchemaRegistryConfig(
    List<URI> urls,
    Duration requestTimeout,
    int maxAttempts,
    Duration initialBackoff,
    String basicAuthUserInfo) {

  /** Comma-separated base URLs of the registry (Confluent key). */
  public static final String URL_CONFIG = "schema.registry.url";

  /** Where basic auth credentials come from: {@code URL} or {@code USER_INFO} (Confluent key). */
  public static final String BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG = "basic.auth.credentials.source";

  /** {@code user:password} when the credentials source is {@code USER_INFO} (Confluent key). */
  public static final String USER_INFO_CONFIG = "basic.auth.user.info";

  /** Older Confluent spelling of {@link #USER_INFO_CONFIG}, still accepted. */
  public static final String LEGACY_USER_INFO_CONFIG = "schema.registry.basic.auth.user.info";

  /** Time limit of one HTTP request in milliseconds (aibroker key). */
  public static final String REQUEST_TIMEOUT_MS_CONFIG = "schema.registry.request.timeout.ms";

  /** Total attempts of a call on connection errors and 5xx answers (aibroker key). */
  public static final String MAX_ATTEMPTS_CONFIG = "schema.registry.max.attempts";

  /** Wait before the first retry in milliseconds (aibroker key). */
  public static final String RETRY_BACKOFF_MS_CONFIG = "schema.registry.retry.backoff.ms";

  /** Default of {@link #requestTimeout()}. */
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);

  /** Default of {@link #maxAttempts()}. */
  public static final int DEFAULT_MAX_ATTEMPTS = 3;

  /** Default of {@link #initialBackoff()}. */
  public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofMillis(100);

  private static final String SOURCE_URL = "URL";
  private static final String SOURCE_USER_INFO = "USER_INFO";

  /** Validates every setting; messages never echo credentials. */
  public SchemaRegistryConfig {
    Objects.requireNonNull(urls, "urls");
    if (urls.isEmpty()) {
      throw new IllegalArgumentException("at least one schema registry URL is required");
    }
    urls = List.copyOf(urls);
    for (URI url : urls) {
      validateUrl(url);
    }
    Objects.requireNonNull(requestTimeout, "requestTimeout");
    if (requestTimeout.isNegative() || requestTimeout.isZero()) {
      throw new IllegalArgumentException("requestTimeout must be positive, was " + requestTimeout);
    }
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
    }
    Objects.requireNonNull(initialBackoff, "initialBackoff");
    if (initialBackoff.isNegative()) {
      throw new IllegalArgumentException(
          "initialBackoff must not be negative, was " + initialBackoff);
    }
    if (basicAuthUserInfo != null && basicAuthUserInfo.indexOf(':') < 1) {
      throw new IllegalArgumentException(
          "basic auth user info must have the form 'user:password' (value not shown)");
    }
  }

  /**
   * A config for the given comma-separated URLs with default timeouts and retries. Credentials in a
   * URL ({@code http://user:password@host:8081}) become the basic auth user info.
   *
   * @throws IllegalArgumentException if a URL is malformed
   */
  public static SchemaRegistryConfig of(String urls) {
    List<URI> withCredentials = parseUrls(urls);
    return new SchemaRegistryConfig(
        withCredentials.stream().map(SchemaRegistryConfig::withoutUserInfo).toList(),
        DEFAULT_REQUEST_TIMEOUT,
        DEFAULT_MAX_ATTEMPTS,
        DEFAULT_INITIAL_BACKOFF,
        urlUserInfo(withCredentials));
  }

  /**
   * Reads Confluent-style client properties.
   *
   * <p>Keys: {@value #URL_CONFIG} (required; comma-separated string or list), {@value
   * #BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG} ({@code URL}: credentials from the URL's user info;
   * {@code USER_INFO}: from {@value #USER_INFO_CONFIG}; when absent, {@code USER_INFO} if user info
   * is set, else {@code URL}), {@value #USER_INFO_CONFIG} (or {@value #LEGACY_USER_INFO_CONFIG}),
   * {@value #REQUEST_TIMEOUT_MS_CONFIG}, {@value #MAX_ATTEMPTS_CONFIG}, {@value
   * #RETRY_BACKOFF_MS_CONFIG}.
   *
   * @throws ConfigException if a value is missing or invalid
   */
  public static SchemaRegistryConfig fromProperties(Map<String, ?> configs) {
    Object rawUrls = configs.get(URL_CONFIG);
    if (rawUrls == null || rawUrls.toString().isBlank()) {
      throw new ConfigException("Missing required configuration '" + URL_CONFIG + "'");
    }
    try {
      List<URI> withCredentials =
          rawUrls instanceof Collection<?> list
              ? list.stream().flatMap(u -> parseUrls(u.toString()).stream()).toList()
              : parseUrls(rawUrls.toString());
      String userInfo = userInfo(configs, withCredentials);
      return new SchemaRegistryConfig(
          withCredentials.stream().map(SchemaRegistryConfig::withoutUserInfo).toList(),
          Duration.ofMillis(
              longValue(configs, REQUEST_TIMEOUT_MS_CONFIG, DEFAULT_REQUEST_TIMEOUT.toMillis())),
          (int) longValue(configs, MAX_ATTEMPTS_CONFIG, DEFAULT_MAX_ATTEMPTS),
          Duration.ofMillis(
              longValue(configs, RETRY_BACKOFF_MS_CONFIG, DEFAULT_INITIAL_BACKOFF.toMillis())),
          userInfo);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("Invalid schema registry configuration: " + e.getMessage());
    }
  }

  /** Shows the settings with the credentials replaced by a marker. */
  @Override
  public String toString() {
    return "SchemaRegistryConfig[urls="
        + urls
        + ", requestTimeout="
        + requestTimeout
        + ", maxAttempts="
        + maxAttempts
        + ", initialBackoff="
        + initialBackoff
        + ", basicAuthUserInfo="
        + (basicAuthUserInfo == null ? "none" : "[hidden]")
        + "]";
  }

  private static String userInfo(Map<String, ?> configs, List<URI> urls) {
    Object explicit = configs.get(USER_INFO_CONFIG);
    if (explicit == null) {
      explicit = configs.get(LEGACY_USER_INFO_CONFIG);
    }
    String userInfo =
        explicit == null || explicit.toString().isEmpty() ? null : explicit.toString();
    Object rawSource = configs.get(BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG);
    String source =
        rawSource == null || rawSource.toString().isBlank()
            ? (userInfo != null ? SOURCE_USER_INFO : SOURCE_URL)
            : rawSource.toString().strip().toUpperCase(Locale.ROOT);
    return switch (source) {
      case SOURCE_USER_INFO -> {
        if (userInfo == null) {
          throw new IllegalArgumentException(
              BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG
                  + "=USER_INFO needs '"
                  + USER_INFO_CONFIG
                  + "' to be set");
        }
        yield userInfo;
      }
      case SOURCE_URL -> urlUserInfo(urls);
      default ->
          throw new IllegalArgumentException(
              BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG
                  + " must be URL or USER_INFO, was '"
                  + source
                  + "'");
    };
  }

  private static String urlUserInfo(List<URI> urls) {
    return urls.stream().map(URI::getUserInfo).filter(Objects::nonNull).findFirst().orElse(null);
  }

  private static List<URI> parseUrls(String commaSeparated) {
    List<URI> result = new ArrayList<>();
    for (String part : commaSeparated.split(",")) {
      String trimmed = part.strip();
      if (trimmed.isEmpty()) {
        continue;
      }
      try {
        result.add(new URI(trimmed));
      } catch (URISyntaxException e) {
        // The input may carry credentials, so only the reason is shown.
        throw new IllegalArgumentException("malformed schema registry URL: " + e.getReason());
      }
    }
    if (result.isEmpty()) {
      throw new IllegalArgumentException("at least one schema registry URL is required");
    }
    return result;
  }

  private static URI withoutUserInfo(URI url) {
    if (url.getRawUserInfo() == null) {
      return url;
    }
    try {
      return new URI(
          url.getScheme(),
          null,
          url.getHost(),
          url.getPort(),
          url.getPath(),
          url.getQuery(),
          url.getFragment());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("malformed schema registry URL: " + e.getReason());
    }
  }

  private static void validateUrl(URI url) {
    Objects.requireNonNull(url, "url");
    String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
    if (url.getRawUserInfo() != null) {
      throw new IllegalArgumentException(
          "schema registry URLs must not contain credentials here; pass them as basicAuthUserInfo");
    }
    if (!(scheme.equals("http") || scheme.equals("https")) || url.getHost() == null) {
      throw new IllegalArgumentException(
          "schema registry URL must be http(s)://host[:port][/path], was '"
              // A password with a raw '@' leaves the credentials in a URL java.net.URI cannot
              // split.
              + Urls.withoutUserInfo(url.toString())
              + "'");
    }
  }

  private static long longValue(Map<String, ?> configs, String key, long defaultValue) {
    Object value = configs.get(key);
    if (value == null) {
      return defaultValue;
    }
    if (value instanceof Number n) {
      return n.longValue();
    }
    try {
      return Long.parseLong(value.toString().strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be a number, was '" + value + "'");
    }
  }
}
