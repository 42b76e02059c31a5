package io.aibroker.app.cli;

import io.aibroker.app.config.AppConfig;
import io.aibroker.app.config.ComponentConfigs;
import io.aibroker.client.AiBrokerClient;
import io.aibroker.records.ChatMessage;
import io.aibroker.records.InferenceRequest;
import io.aibroker.records.InferenceResult;
import io.aibroker.records.ResultStatus;
import io.aibroker.records.Task;
import io.aibroker.registry.RestSchemaRegistryClient;
import io.aibroker.registry.SchemaRegistryConfig;
import io.aibroker.schemas.RecordSerdes;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code aibroker submit}: publishes one request, waits for its result and prints it as JSON. Exit
 * code 0 when it SUCCEEDED, 2 for any other terminal status, 1 for usage or connection errors.
 */
@Command(
    name = "submit",
    mixinStandardHelpOptions = true,
    description = "Submits one request and prints its result as a JSON object.",
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {
      "0:the request SUCCEEDED",
      "1:usage or connection error",
      "2:the request ended FAILED, REJECTED or EXPIRED, or no result came in time"
    })
public final class SubmitCommand implements Callable<Integer> {

  /** Exit code of a request that did not succeed. */
  public static final int EXIT_NOT_SUCCEEDED = 2;

  @Mixin ConfigOptions options;

  @Option(names = "--tenant", required = true, description = "Tenant that owns the request.")
  String tenant;

  @Option(
      names = "--model",
      defaultValue = "chat-default",
      description = "Logical model (default: ${DEFAULT-VALUE}).")
  String model;

  @Option(names = "--idempotency-key", description = "Requests with the same key are one.")
  String idempotencyKey;

  @Option(names = "--request-id", description = "Request id (default: a random UUID).")
  String requestId;

  @Option(names = "--user", description = "End user on whose behalf the tenant asks.")
  String user;

  @Option(names = "--max-tokens", description = "Upper bound on output tokens.")
  Integer maxTokens;

  @Option(
      names = "--embed",
      description = "Ask for embeddings of the text instead of a chat answer.")
  boolean embed;

  @Option(
      names = "--timeout",
      defaultValue = "60s",
      converter = DurationConverter.class,
      description = "How long to wait for the result, e.g. 30s, 2m (default: ${DEFAULT-VALUE}).")
  Duration timeout;

  @Parameters(paramLabel = "TEXT", description = "The prompt (or text to embed).")
  String text;

  @Override
  public Integer call() throws Exception {
    AppConfig config = options.load(Map.of());
    var registry =
        new RestSchemaRegistryClient(SchemaRegistryConfig.of(Endpoints.registryUrl(config)));
    Map<String, Object> client = Endpoints.kafkaClient(config);
    client.put("max.block.ms", 15_000);
    try (var broker =
        new AiBrokerClient(client, new RecordSerdes(registry), ComponentConfigs.topics(config))) {
      InferenceResult result = await(broker, request());
      System.out.println(RecordJson.toJson(result));
      return result.getStatus() == ResultStatus.SUCCEEDED ? 0 : EXIT_NOT_SUCCEEDED;
    }
  }

  private InferenceResult await(AiBrokerClient broker, InferenceRequest request)
      throws InterruptedException {
    try {
      return broker.submit(request, timeout).get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof TimeoutException) {
        throw new IllegalStateException(
            "no result for request " + request.getRequestId() + " within " + timeout);
      }
      throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
    }
  }

  private InferenceRequest request() {
    var builder =
        InferenceRequest.newBuilder()
            .setRequestId(requestId != null ? requestId : UUID.randomUUID().toString())
            .setTenantId(tenant)
            .setUserId(user)
            .setIdempotencyKey(idempotencyKey)
            .setModel(model)
            .setCreatedAt(Instant.now());
    if (embed) {
      builder.setTask(Task.EMBED).setInputs(List.of(text));
    } else {
      builder.setTask(Task.CHAT).setMessages(List.of(new ChatMessage("user", text)));
    }
    if (maxTokens != null) {
      builder.setParams(
          io.aibroker.records.GenerationParams.newBuilder().setMaxTokens(maxTokens).build());
    }
    return builder.build();
  }
}
