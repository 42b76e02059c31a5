package io.aibroker.connector.azureopenai;

import com.azure.ai.openai.OpenAIAsyncClient;
import com.azure.ai.openai.models.EmbeddingsOptions;
import com.azure.core.http.rest.RequestOptions;
import com.azure.core.util.BinaryData;
import io.aibroker.connector.Connector;
import io.aibroker.connector.ConnectorContext;
import io.aibroker.connector.ProviderCall;
import io.aibroker.connector.ProviderErrorMapper;
import io.aibroker.connector.ProviderResponse;
import io.aibroker.connector.ProviderServerException;
import io.aibroker.connector.ProviderTimeoutException;
import io.aibroker.connector.Task;
import io.aibroker.connector.TextDelta;
import io.aibroker.connector.batch.BatchApi;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import javax.net.ssl.SSLContext;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.resources.ConnectionProvider;

/**
 * Azure OpenAI through {@code com.azure:azure-ai-openai}'s async client: chat completions, streamed
 * chat completions (with usage), embeddings and Global Batch jobs of chat completions ({@link
 * #batch()}).
 *
 * <p>A call goes to the Azure deployment named by {@link ProviderCall#deployment()}, or, when the
 * route has none, to a deployment named like {@link ProviderCall#providerModel()} (a common Azure
 * convention). Every call is bounded by the config's request timeout and the call's deadline,
 * whichever comes first; cancelling the returned future aborts the HTTP exchange.
 *
 * <p>Stages complete, and deltas are delivered, on Reactor's bounded-elastic threads, never on
 * Netty's event loop; deltas of one stream come one at a time, in order.
 */
public final class AzureOpenAiConnector implements Connector {

  /** The provider name. */
  public static final String PROVIDER = AzureOpenAiConnectorFactory.NAME;

  private final AzureOpenAiConfig config;
  private final Clock clock;
  private final OpenAIAsyncClient client;
  private final ConnectionProvider pool;
  private final AzureOpenAiErrorMapper errorMapper;
  private final AzureBatchApi batchApi;

  /** Creates a connector with the JVM's TLS trust and the real environment. */
  public AzureOpenAiConnector(AzureOpenAiConfig config, ConnectorContext context) {
    this(config, context, null, System::getenv);
  }

  /**
   * For tests: trusts {@code trust} (a fake server's self-signed certificate) and reads the
   * environment through {@code environment}. Not part of the YAML config on purpose.
   */
  AzureOpenAiConnector(
      AzureOpenAiConfig config,
      ConnectorContext context,
      SSLContext trust,
      UnaryOperator<String> environment) {
    this.config = Objects.requireNonNull(config, "config");
    this.clock = Objects.requireNonNull(context, "context").clock();
    AzureOpenAiClients.Built built =
        AzureOpenAiClients.build(config, trust, Objects.requireNonNull(environment, "environment"));
    this.client = built.client();
    this.pool = built.pool();
    List<String> secrets = new ArrayList<>();
    if (built.apiKey() != null) {
      secrets.add(built.apiKey());
    }
    this.errorMapper = new AzureOpenAiErrorMapper(clock, secrets);
    this.batchApi = new AzureBatchApi(client, errorMapper, AzureBatchApi.DEFAULT_LIST_PAGE_SIZE);
  }

  @Override
  public String provider() {
    return PROVIDER;
  }

  @Override
  public CompletionStage<ProviderResponse> call(ProviderCall call) {
    Objects.requireNonNull(call, "call");
    return run(
        call,
        () ->
            switch (call.task()) {
              case CHAT ->
                  client
                      .getChatCompletions(deployment(call), ChatRequests.options(call))
                      .map(Responses::chat);
              case EMBED ->
                  client
                      .getEmbeddings(deployment(call), new EmbeddingsOptions(call.inputs()))
                      .map(embeddings -> Responses.embeddings(embeddings, call.inputs().size()));
            });
  }

  @Override
  public CompletionStage<ProviderResponse> stream(ProviderCall call, Consumer<TextDelta> onDelta) {
    Objects.requireNonNull(call, "call");
    Objects.requireNonNull(onDelta, "onDelta");
    if (call.task() != Task.CHAT) {
      return Connector.super.stream(call, onDelta);
    }
    return run(call, () -> streamed(call, onDelta));
  }

  /**
   * Azure OpenAI Global Batch on the same resource, client and credential: calls go to a Global
   * Batch deployment (the route's {@code deployment}) within 24 hours at the batch price.
   */
  @Override
  public Optional<BatchApi> batch() {
    return Optional.of(batchApi);
  }

  @Override
  public ProviderErrorMapper errorMapper() {
    return errorMapper;
  }

  /** Stops pooling connections; calls in flight keep theirs until they complete. */
  @Override
  public void close() {
    pool.disposeLater().subscribe(ignored -> {}, ignored -> {});
  }

  /**
   * A streamed chat completion, decoded here rather than by the SDK's streaming method: that one
   * caches its stream, so cancelling (or timing out) never aborts the HTTP exchange and Azure would
   * go on generating, and billing, the rest of the reply.
   */
  private Mono<ProviderResponse> streamed(ProviderCall call, Consumer<TextDelta> onDelta) {
    BinaryData body = StreamEvents.requestBody(ChatRequests.options(call));
    StreamAccumulator stream = new StreamAccumulator(onDelta, config.serviceVersion());
    SseDecoder events = new SseDecoder();
    return client
        .getChatCompletionsWithResponse(deployment(call), body, new RequestOptions())
        .flatMapMany(response -> response.getValue().toFluxByteBuffer())
        // Deltas go to the caller off Netty's event loop, still one at a time and in order.
        .publishOn(Schedulers.boundedElastic())
        .concatMapIterable(events::feed)
        .concatWith(Flux.defer(() -> Flux.fromIterable(events.finish())))
        .doOnNext(data -> stream.accept(StreamEvents.chunk(data)))
        .then(Mono.fromCallable(stream::finish));
  }

  /** The Azure deployment a call goes to. */
  static String deployment(ProviderCall call) {
    return call.deployment() != null && !call.deployment().isBlank()
        ? call.deployment()
        : call.providerModel();
  }

  /**
   * Subscribes to the call within its time budget, bridging Reactor to a future whose cancellation
   * cancels the subscription (and so the HTTP exchange).
   */
  private CompletableFuture<ProviderResponse> run(
      ProviderCall call, Supplier<Mono<ProviderResponse>> request) {
    Duration budget = budget(call);
    if (budget.isZero() || budget.isNegative()) {
      return CompletableFuture.failedFuture(
          new ProviderTimeoutException(PROVIDER, "deadline passed before the call was made"));
    }
    Mono<ProviderResponse> mono;
    try {
      mono = request.get();
    } catch (RuntimeException invalid) {
      // e.g. a message role Azure cannot take: fail the stage, never throw at the caller.
      return CompletableFuture.failedFuture(invalid);
    }
    CompletableFuture<ProviderResponse> result = new CompletableFuture<>();
    Disposable subscription =
        mono
            // Off Netty's event loop: whatever the caller chains onto the stage (Kafka sends,
            // logging) must never stall the connections of every other call.
            .publishOn(Schedulers.boundedElastic())
            .timeout(
                budget,
                Mono.error(
                    () ->
                        new ProviderTimeoutException(
                            PROVIDER,
                            "no complete response within "
                                + budget.toMillis()
                                + "ms (request timeout or deadline)")))
            .subscribe(
                result::complete,
                result::completeExceptionally,
                () -> {
                  // Completion follows the value; only an empty Mono gets here undone.
                  if (!result.isDone()) {
                    result.completeExceptionally(
                        new ProviderServerException(PROVIDER, "the SDK returned no response"));
                  }
                });
    result.whenComplete(
        (response, failure) -> {
          if (result.isCancelled()) {
            subscription.dispose();
          }
        });
    return result;
  }

  /** The request timeout, cut to what is left before the call's deadline. */
  private Duration budget(ProviderCall call) {
    Duration budget = config.requestTimeout();
    if (call.deadline() != null) {
      Duration left = Duration.between(Instant.now(clock), call.deadline());
      if (left.compareTo(budget) < 0) {
        budget = left;
      }
    }
    return budget;
  }
}
