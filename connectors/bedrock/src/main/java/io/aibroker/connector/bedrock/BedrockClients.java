package io.aibroker.connector.bedrock;

import software.amazon.awssdk.awscore.client.builder.AwsAsyncClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.Protocol;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrock.BedrockAsyncClient;
import software.amazon.awssdk.services.bedrock.BedrockAsyncClientBuilder;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClient;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClientBuilder;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3AsyncClientBuilder;

/** Builds the SDK client the way the worker needs it. */
final class BedrockClients {

  private BedrockClients() {}

  /**
   * An async client on its own Netty HTTP client (closed with it), with the SDK's retries off (the
   * worker owns retry policy) and the config's timeouts. Does no network I/O.
   */
  static BedrockRuntimeAsyncClient create(BedrockConfig config, BedrockCredentials credentials) {
    BedrockRuntimeAsyncClientBuilder builder =
        common(BedrockRuntimeAsyncClient.builder(), config, config.maxConcurrency());
    if (config.endpointOverride() != null) {
      builder.endpointOverride(config.endpointOverride());
    }
    credentials.applyTo(builder);
    return builder.build();
  }

  /**
   * The control-plane client batch jobs are created and polled with: its own small Netty client,
   * the SDK's retries off (the worker polls again), the config's request timeout per call.
   */
  static BedrockAsyncClient createControlPlane(
      BedrockConfig config, BedrockBatchConfig batch, BedrockCredentials credentials) {
    BedrockAsyncClientBuilder builder =
        common(BedrockAsyncClient.builder(), config, BATCH_CONCURRENCY);
    if (batch.endpointOverride() != null) {
      builder.endpointOverride(batch.endpointOverride());
    }
    credentials.applyTo(builder);
    return builder.build();
  }

  /**
   * The S3 client job files are written and read with; path-style against an overridden endpoint
   * (S3-compatible stores and fakes rarely resolve {@code bucket.host}). The SDK's default
   * checksums stay on: a job file is worth the CRC.
   */
  static S3AsyncClient createS3(
      BedrockConfig config, BedrockBatchConfig batch, BedrockCredentials credentials) {
    S3AsyncClientBuilder builder = common(S3AsyncClient.builder(), config, BATCH_CONCURRENCY);
    if (batch.s3EndpointOverride() != null) {
      builder.endpointOverride(batch.s3EndpointOverride()).forcePathStyle(true);
    }
    credentials.applyTo(builder);
    return builder.build();
  }

  /**
   * What every client here has: the region, its own Netty HTTP client, the SDK's retries off (the
   * worker owns retry policy) and the config's request timeout per call.
   */
  private static <B extends AwsClientBuilder<B, ?> & AwsAsyncClientBuilder<B, ?>> B common(
      B builder, BedrockConfig config, int maxConcurrency) {
    return builder
        .region(Region.of(config.region()))
        .httpClientBuilder(http(config, maxConcurrency))
        .overrideConfiguration(
            override ->
                override
                    .retryStrategy(AwsRetryStrategy.doNotRetry())
                    .apiCallTimeout(config.requestTimeout()));
  }

  /** Batch requests are few (one per job submit or poll): a few connections serve them. */
  private static final int BATCH_CONCURRENCY = 16;

  private static NettyNioAsyncHttpClient.Builder http(BedrockConfig config, int maxConcurrency) {
    return NettyNioAsyncHttpClient.builder()
        // ConverseStream needs HTTP/1.1 against plain-HTTP endpoints (no h2c), and Bedrock
        // serves it fine in production; one protocol everywhere keeps behaviour the same.
        .protocol(Protocol.HTTP1_1)
        .maxConcurrency(maxConcurrency)
        .connectionTimeout(config.connectTimeout())
        // The call timeout below is the real limit; Netty's own 30s read timeout would cut
        // long generations and slow streams short of it.
        .readTimeout(config.requestTimeout())
        .writeTimeout(config.requestTimeout())
        .connectionAcquisitionTimeout(config.requestTimeout());
  }
}
