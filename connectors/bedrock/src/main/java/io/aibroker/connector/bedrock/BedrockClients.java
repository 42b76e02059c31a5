package io.aibroker.connector.bedrock;

import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.Protocol;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClient;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClientBuilder;

/** Builds the SDK client the way the worker needs it. */
final class BedrockClients {

  private BedrockClients() {}

  /**
   * An async client on its own Netty HTTP client (closed with it), with the SDK's retries off (the
   * worker owns retry policy) and the config's timeouts. Does no network I/O.
   */
  static BedrockRuntimeAsyncClient create(BedrockConfig config, BedrockCredentials credentials) {
    NettyNioAsyncHttpClient.Builder http =
        NettyNioAsyncHttpClient.builder()
            // ConverseStream needs HTTP/1.1 against plain-HTTP endpoints (no h2c), and Bedrock
            // serves it fine in production; one protocol everywhere keeps behaviour the same.
            .protocol(Protocol.HTTP1_1)
            .maxConcurrency(config.maxConcurrency())
            .connectionTimeout(config.connectTimeout())
            // The call timeout below is the real limit; Netty's own 30s read timeout would cut
            // long generations and slow streams short of it.
            .readTimeout(config.requestTimeout())
            .writeTimeout(config.requestTimeout())
            .connectionAcquisitionTimeout(config.requestTimeout());
    BedrockRuntimeAsyncClientBuilder builder =
        BedrockRuntimeAsyncClient.builder()
            .region(Region.of(config.region()))
            .httpClientBuilder(http)
            .overrideConfiguration(
                override ->
                    override
                        .retryStrategy(AwsRetryStrategy.doNotRetry())
                        .apiCallTimeout(config.requestTimeout()));
    if (config.endpointOverride() != null) {
      builder.endpointOverride(config.endpointOverride());
    }
    credentials.applyTo(builder);
    return builder.build();
  }
}
