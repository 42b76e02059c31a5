package io.aibroker.connector.bedrock;

import io.aibroker.connector.Connector;
import io.aibroker.connector.ProviderCall;
import io.aibroker.connector.ProviderErrorMapper;
import io.aibroker.connector.ProviderResponse;
import io.aibroker.connector.ProviderTimeoutException;
import io.aibroker.connector.Task;
import io.aibroker.connector.TextDelta;
import io.aibroker.connector.TokenUsage;
import io.aibroker.connector.batch.BatchApi;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.services.bedrock.BedrockAsyncClient;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClient;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;
import software.amazon.awssdk.services.s3.S3AsyncClient;

/**
 * Amazon Bedrock: Converse for chat, ConverseStream for streamed chat, InvokeModel for Titan and
 * Cohere embeddings. Calls never block: the async SDK client runs on Netty, so thousands can be in
 * flight on one instance. The SDK's retries are off; each call's timeout is the configured request
 * timeout, shortened to the call's deadline.
 *
 * <p>Cancelling a returned future aborts the HTTP request. Stream deltas are handed over on the
 * SDK's I/O threads: {@code onDelta} must not block.
 *
 * <p>With {@link BedrockConfig#batch()} set, {@link #batch()} runs batch inference jobs ({@link
 * BedrockBatchApi}) on a control-plane and an S3 client of their own.
 */
public final class BedrockConnector implements Connector {

  private final BedrockConfig config;
  private final Clock clock;
  private final BedrockCredentials credentials;
  private final BedrockRuntimeAsyncClient client;
  private final BedrockErrorMapper errorMapper;
  private final BedrockAsyncClient controlPlane;
  private final S3AsyncClient s3;
  private final BatchApi batchApi;

  /**
   * Creates the client; does no network I/O.
   *
   * @param config validated configuration
   * @param clock the clock deadlines and retry dates are read against
   */
  public BedrockConnector(BedrockConfig config, Clock clock) {
    this(
        config,
        clock,
        BedrockCredentials.resolve(
            Objects.requireNonNull(config, "config"), BedrockCredentials::systemEnvironment));
  }

  /** With explicit credentials, e.g. static SigV4 keys in tests. */
  BedrockConnector(BedrockConfig config, Clock clock, BedrockCredentials credentials) {
    this.config = Objects.requireNonNull(config, "config");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.credentials = Objects.requireNonNull(credentials, "credentials");
    this.errorMapper = new BedrockErrorMapper(clock, credentials.secret().stream().toList());
    this.client = BedrockClients.create(config, credentials);
    BedrockBatchConfig batch = config.batch();
    if (batch == null) {
      this.controlPlane = null;
      this.s3 = null;
      this.batchApi = null;
    } else {
      this.controlPlane = BedrockClients.createControlPlane(config, batch, credentials);
      this.s3 = BedrockClients.createS3(config, batch, credentials);
      this.batchApi = new BedrockBatchApi(batch, controlPlane, s3, errorMapper);
    }
  }

  @Override
  public String provider() {
    return BedrockErrorMapper.PROVIDER;
  }

  @Override
  public CompletionStage<ProviderResponse> call(ProviderCall call) {
    Objects.requireNonNull(call, "call");
    return call.task() == Task.EMBED ? guarded(() -> embed(call)) : guarded(() -> chat(call));
  }

  @Override
  public CompletionStage<ProviderResponse> stream(ProviderCall call, Consumer<TextDelta> onDelta) {
    Objects.requireNonNull(call, "call");
    Objects.requireNonNull(onDelta, "onDelta");
    if (call.task() != Task.CHAT) {
      return call(call);
    }
    return guarded(() -> chatStream(call, onDelta));
  }

  /** Batch inference jobs, when {@link BedrockConfig#batch()} is configured. */
  @Override
  public Optional<BatchApi> batch() {
    return Optional.ofNullable(batchApi);
  }

  @Override
  public ProviderErrorMapper errorMapper() {
    return errorMapper;
  }

  /** Closes the SDK client and its Netty event loops; calls still in flight fail. */
  @Override
  public void close() {
    try (AutoCloseable closesCredentials = credentials::close;
        AutoCloseable closesS3 = s3 == null ? () -> {} : s3::close;
        AutoCloseable closesControlPlane = controlPlane == null ? () -> {} : controlPlane::close) {
      client.close();
    } catch (Exception e) {
      // None of the closers throws checked exceptions; keep unchecked ones as they are.
      if (e instanceof RuntimeException unchecked) {
        throw unchecked;
      }
      throw new IllegalStateException(e);
    }
  }

  /** Shows the config without the API key. */
  @Override
  public String toString() {
    return "BedrockConnector[" + config + "]";
  }

  private CompletableFuture<ProviderResponse> chat(ProviderCall call) {
    AwsRequestOverrideConfiguration timeout = timeout(call);
    CompletableFuture<ConverseResponse> sdk =
        client.converse(
            ConverseMapping.converseRequest(call).toBuilder()
                .overrideConfiguration(timeout)
                .build());
    return cancelsSource(sdk, sdk.thenApply(ConverseMapping::response));
  }

  private CompletableFuture<ProviderResponse> chatStream(
      ProviderCall call, Consumer<TextDelta> onDelta) {
    AwsRequestOverrideConfiguration timeout = timeout(call);
    ConverseStreamCollector collector = new ConverseStreamCollector(onDelta);
    CompletableFuture<Void> sdk =
        client.converseStream(
            ConverseMapping.converseStreamRequest(call).toBuilder()
                .overrideConfiguration(timeout)
                .build(),
            collector.handler());
    return cancelsSource(sdk, sdk.thenApply(done -> collector.result()));
  }

  /**
   * All batches in flight at once (Titan takes one input per call); fails as soon as one batch
   * fails, cancelling the rest.
   */
  private CompletableFuture<ProviderResponse> embed(ProviderCall call) {
    AwsRequestOverrideConfiguration timeout = timeout(call);
    EmbeddingFamily family = EmbeddingFamily.of(call.providerModel());
    List<CompletableFuture<EmbeddingFamily.Batch>> batches = new ArrayList<>();
    for (EmbeddingFamily.BatchRequest batch :
        family.requests(call.providerModel(), call.inputs())) {
      var sdk =
          client.invokeModel(batch.request().toBuilder().overrideConfiguration(timeout).build());
      batches.add(
          cancelsSource(sdk, sdk.thenApply(response -> family.parse(response, batch.inputs()))));
    }
    CompletableFuture<ProviderResponse> result = new CompletableFuture<>();
    for (CompletableFuture<EmbeddingFamily.Batch> batch : batches) {
      batch.whenComplete(
          (ignored, failure) -> {
            if (failure != null && result.completeExceptionally(unwrap(failure))) {
              batches.forEach(other -> other.cancel(true));
            }
          });
    }
    CompletableFuture.allOf(batches.toArray(CompletableFuture[]::new))
        .thenRun(() -> result.complete(combine(batches)));
    result.whenComplete(
        (ignored, failure) -> {
          if (result.isCancelled()) {
            batches.forEach(batch -> batch.cancel(true));
          }
        });
    return result;
  }

  private static ProviderResponse combine(List<CompletableFuture<EmbeddingFamily.Batch>> batches) {
    List<List<Float>> vectors = new ArrayList<>();
    long inputTokens = 0;
    for (CompletableFuture<EmbeddingFamily.Batch> batch : batches) {
      EmbeddingFamily.Batch done = batch.join();
      vectors.addAll(done.vectors());
      inputTokens += done.inputTokens();
    }
    return ProviderResponse.ofEmbeddings(vectors, new TokenUsage(inputTokens, 0));
  }

  /**
   * The call's timeout: the configured request timeout, or less if the deadline is nearer.
   *
   * @throws ProviderTimeoutException if the deadline has passed already
   */
  private AwsRequestOverrideConfiguration timeout(ProviderCall call) {
    Duration timeout = config.requestTimeout();
    if (call.deadline() != null) {
      Duration left = Duration.between(clock.instant(), call.deadline());
      if (left.isNegative() || left.isZero()) {
        throw new ProviderTimeoutException(
            provider(), "deadline passed before the call was sent", null, 0, null, null);
      }
      if (left.compareTo(timeout) < 0) {
        timeout = left;
      }
    }
    return AwsRequestOverrideConfiguration.builder().apiCallTimeout(timeout).build();
  }

  /** Turns anything thrown while preparing a call into a failed stage. */
  private static CompletableFuture<ProviderResponse> guarded(
      Supplier<CompletableFuture<ProviderResponse>> call) {
    try {
      return call.get();
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /**
   * Returns {@code derived}, cancelling {@code source} (the SDK's future, which aborts the request)
   * when it is cancelled: cancelling a {@code thenApply} stage does not reach back on its own.
   */
  private static <T> CompletableFuture<T> cancelsSource(
      CompletableFuture<?> source, CompletableFuture<T> derived) {
    derived.whenComplete(
        (ignored, failure) -> {
          if (derived.isCancelled()) {
            source.cancel(true);
          }
        });
    return derived;
  }

  private static Throwable unwrap(Throwable failure) {
    return failure instanceof CompletionException && failure.getCause() != null
        ? failure.getCause()
        : failure;
  }
}
