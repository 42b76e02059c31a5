package io.aibroker.connector.workersai;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * Configuration of the Workers AI connector. {@code null} fields take their defaults, so a YAML
 * section only names what it changes:
 *
 * <pre>{@code
 * workers-ai:
 *   accountId: 0123456789abcdef0123456789abcdef
 *   # apiToken: omitted -> CLOUDFLARE_API_TOKEN from the environment
 *   requestTimeout: 30s
 * }</pre>
 *
 * <p>Through AI Gateway, point {@code baseUrl} at the gateway's Workers AI endpoint; the account id
 * is then part of the URL and may be left out:
 *
 * <pre>{@code
 * workers-ai:
 *   baseUrl: https://gateway.ai.cloudflare.com/v1/0123456789abcdef0123456789abcdef/my-gateway/workers-ai
 * }</pre>
 *
 * @param accountId the Cloudflare account id; required unless {@code baseUrl} is an AI Gateway URL
 * @param apiToken the API token sent as {@code Authorization: Bearer}; {@code null} reads {@value
 *     #TOKEN_ENV}
 * @param baseUrl the REST API root, default {@value #DEFAULT_BASE_URL}; a URL whose path ends in
 *     {@code /workers-ai} is taken as an AI Gateway URL and models are called at {@code
 *     {baseUrl}/{model}} instead of {@code {baseUrl}/accounts/{accountId}/ai/run/{model}}
 * @param connectTimeout how long to wait for a TCP/TLS connection; default 10s
 * @param requestTimeout how long a whole call may take, including reading a streamed reply; default
 *     60s. The call's own deadline shortens it. Also bounds each submit and poll of a batch job.
 * @param batchWindow how long Workers AI may take to answer an async batch job ({@code
 *     batch-window} in YAML); default 24h. Cloudflare promises no completion time, so this is the
 *     longest the worker waits for a job before it calls the job's requests in real time.
 */
public record WorkersAiConfig(
    String accountId,
    String apiToken,
    URI baseUrl,
    Duration connectTimeout,
    Duration requestTimeout,
    Duration batchWindow) {

  /** Environment variable read when {@code apiToken} is not configured. */
  public static final String TOKEN_ENV = "CLOUDFLARE_API_TOKEN";

  /** The Cloudflare REST API root. */
  public static final String DEFAULT_BASE_URL = "https://api.cloudflare.com/client/v4";

  /** Connect timeout when none is configured. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);

  /** Request timeout when none is configured. */
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(60);

  /** Batch completion window when none is configured. */
  public static final Duration DEFAULT_BATCH_WINDOW = Duration.ofHours(24);

  private static final Pattern ACCOUNT_ID = Pattern.compile("[A-Za-z0-9_-]+");
  private static final String GATEWAY_SUFFIX = "/workers-ai";

  /** Fills in defaults (the token from {@value #TOKEN_ENV}) and validates. */
  public WorkersAiConfig {
    baseUrl = normaliseBaseUrl(baseUrl == null ? URI.create(DEFAULT_BASE_URL) : baseUrl);
    if (accountId != null && accountId.isBlank()) {
      accountId = null;
    }
    if (accountId != null && !ACCOUNT_ID.matcher(accountId).matches()) {
      throw new IllegalArgumentException(
          "accountId may only contain letters, digits, '-' and '_', was '" + accountId + "'");
    }
    if (accountId == null && !isGateway(baseUrl)) {
      throw new IllegalArgumentException(
          "accountId is required unless baseUrl is an AI Gateway URL ending in " + GATEWAY_SUFFIX);
    }
    apiToken = resolveToken(apiToken, System::getenv);
    connectTimeout =
        positive(
            "connectTimeout", Objects.requireNonNullElse(connectTimeout, DEFAULT_CONNECT_TIMEOUT));
    requestTimeout =
        positive(
            "requestTimeout", Objects.requireNonNullElse(requestTimeout, DEFAULT_REQUEST_TIMEOUT));
    batchWindow =
        positive("batchWindow", Objects.requireNonNullElse(batchWindow, DEFAULT_BATCH_WINDOW));
  }

  /** With the default batch window. */
  public WorkersAiConfig(
      String accountId,
      String apiToken,
      URI baseUrl,
      Duration connectTimeout,
      Duration requestTimeout) {
    this(accountId, apiToken, baseUrl, connectTimeout, requestTimeout, null);
  }

  /** Direct API access with the given account and token and default URL and timeouts. */
  public static WorkersAiConfig of(String accountId, String apiToken) {
    return new WorkersAiConfig(accountId, apiToken, null, null, null, null);
  }

  /** Whether calls go through AI Gateway ({@code baseUrl} path ends in {@code /workers-ai}). */
  public boolean gateway() {
    return isGateway(baseUrl);
  }

  /** Shows everything but the token. */
  @Override
  public String toString() {
    return "WorkersAiConfig[accountId="
        + accountId
        + ", apiToken=***, baseUrl="
        + baseUrl
        + ", connectTimeout="
        + connectTimeout
        + ", requestTimeout="
        + requestTimeout
        + ", batchWindow="
        + batchWindow
        + "]";
  }

  /** The configured token, else the environment's; package-private so tests can fake the env. */
  static String resolveToken(String configured, UnaryOperator<String> env) {
    String token = configured;
    if (token == null || token.isBlank()) {
      token = env.apply(TOKEN_ENV);
    }
    if (token == null || token.isBlank()) {
      throw new IllegalArgumentException(
          "apiToken is required: configure it or set the " + TOKEN_ENV + " environment variable");
    }
    token = token.strip();
    if (!token.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
      // Never echo the value: it is (close to) a credential.
      throw new IllegalArgumentException("apiToken contains whitespace or non-ASCII characters");
    }
    return token;
  }

  private static URI normaliseBaseUrl(URI url) {
    String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("https") && !scheme.equals("http")) {
      throw new IllegalArgumentException("baseUrl must be an http(s) URL, was '" + url + "'");
    }
    if (url.getHost() == null) {
      throw new IllegalArgumentException("baseUrl needs a host, was '" + url + "'");
    }
    if (url.getRawQuery() != null || url.getRawFragment() != null || url.getRawUserInfo() != null) {
      throw new IllegalArgumentException(
          "baseUrl must not have user info, a query or a fragment, was '" + url.getHost() + "...'");
    }
    String text = url.toString();
    while (text.endsWith("/")) {
      text = text.substring(0, text.length() - 1);
    }
    return URI.create(text);
  }

  private static boolean isGateway(URI url) {
    String path = url.getPath();
    return path != null && path.endsWith(GATEWAY_SUFFIX);
  }

  private static Duration positive(String name, Duration value) {
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, was " + value);
    }
    return value;
  }
}
