package io.aibroker.connector.azureopenai;

import com.azure.ai.openai.OpenAIAsyncClient;
import com.azure.ai.openai.OpenAIClientBuilder;
import com.azure.core.credential.AzureKeyCredential;
import com.azure.core.http.netty.NettyAsyncHttpClientBuilder;
import com.azure.core.http.policy.FixedDelayOptions;
import com.azure.core.http.policy.HttpLogDetailLevel;
import com.azure.core.http.policy.HttpLogOptions;
import com.azure.core.http.policy.RetryOptions;
import com.azure.core.util.ClientOptions;
import com.azure.identity.DefaultAzureCredentialBuilder;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.IdentityCipherSuiteFilter;
import io.netty.handler.ssl.JdkSslContext;
import io.netty.resolver.DefaultAddressResolverGroup;
import java.time.Duration;
import java.util.function.UnaryOperator;
import javax.net.ssl.SSLContext;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * Builds the SDK client for one {@link AzureOpenAiConfig}: our own Netty transport (timeouts,
 * connection pool, optional TLS trust for tests), no SDK retries, no HTTP body logging, and an API
 * key or Entra ID.
 */
final class AzureOpenAiClients {

  /** Sent in the User-Agent, so Azure-side logs show who called. */
  static final String APPLICATION_ID = "aibroker";

  /** Idle pooled connections are closed after this; Azure's front end drops them anyway. */
  static final Duration MAX_IDLE = Duration.ofSeconds(60);

  /**
   * What was built.
   *
   * @param client the SDK client
   * @param pool its connection pool, to dispose on close
   * @param apiKey the key in use, {@code null} for Entra ID; only to scrub it out of messages
   */
  record Built(OpenAIAsyncClient client, ConnectionProvider pool, String apiKey) {
    @Override
    public String toString() {
      return "Built[apiKey=" + (apiKey == null ? "none" : "***") + "]";
    }
  }

  private AzureOpenAiClients() {}

  /**
   * Builds the client. Does no network I/O; Entra ID fetches its first token on the first call.
   *
   * @param trust TLS trust to use instead of the JVM's (tests' self-signed fakes), or {@code null}
   * @param environment reads environment variables ({@code System::getenv} outside tests)
   */
  static Built build(
      AzureOpenAiConfig config, SSLContext trust, UnaryOperator<String> environment) {
    ConnectionProvider pool =
        ConnectionProvider.builder("aibroker-azure-openai")
            .maxConnections(config.maxConnections())
            // The worker bounds calls in flight; waiting for a connection is bounded by the
            // request timeout rather than by a queue length.
            .pendingAcquireMaxCount(-1)
            .pendingAcquireTimeout(config.requestTimeout())
            .maxIdleTime(MAX_IDLE)
            .build();
    var http = transport(config, pool, trust).build();
    OpenAIClientBuilder builder =
        new OpenAIClientBuilder()
            .endpoint(config.endpoint().toString())
            .serviceVersion(config.serviceVersion())
            .httpClient(http)
            // The worker owns retries (and honours Retry-After itself); the SDK's default would
            // try 4 times, multiplying load during an outage and hiding 429s.
            .retryOptions(new RetryOptions(new FixedDelayOptions(0, Duration.ZERO)))
            // AZURE_HTTP_LOG_DETAIL_LEVEL=BODY would otherwise log prompts and replies.
            .httpLogOptions(new HttpLogOptions().setLogLevel(HttpLogDetailLevel.NONE))
            .clientOptions(new ClientOptions().setApplicationId(APPLICATION_ID));
    String apiKey =
        config.apiKey() != null
            ? config.apiKey()
            : environment.apply(AzureOpenAiConfig.API_KEY_ENV);
    if (apiKey != null && !apiKey.isBlank()) {
      builder.credential(new AzureKeyCredential(apiKey));
    } else {
      apiKey = null;
      builder.credential(new DefaultAzureCredentialBuilder().httpClient(http).build());
    }
    return new Built(builder.buildAsyncClient(), pool, apiKey);
  }

  /** The SDK's HTTP transport on our own Netty client. */
  private static NettyAsyncHttpClientBuilder transport(
      AzureOpenAiConfig config, ConnectionProvider pool, SSLContext trust) {
    HttpClient netty =
        HttpClient.create(pool)
            // The JVM's resolver, as the SDK's own builder sets it; Netty's DNS client ignores
            // some system settings.
            .resolver(DefaultAddressResolverGroup.INSTANCE);
    if (trust != null) {
      JdkSslContext tls =
          new JdkSslContext(
              trust,
              true,
              null,
              IdentityCipherSuiteFilter.INSTANCE,
              ApplicationProtocolConfig.DISABLED,
              ClientAuth.NONE,
              null,
              false);
      netty = netty.secure(spec -> spec.sslContext(tls));
    }
    // Keep the builder's default buffer copying: the SDK's SSE parser reads ByteBuffer.array()
    // whole, which is only right for the exact-size copies it makes (no disableBufferCopy).
    return new NettyAsyncHttpClientBuilder(netty)
        .connectTimeout(config.connectTimeout())
        // Per-read limits as a backstop; the connector enforces the whole-call timeout itself.
        .responseTimeout(config.requestTimeout())
        .readTimeout(config.requestTimeout())
        .writeTimeout(config.requestTimeout());
  }
}
