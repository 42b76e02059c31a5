package io.aibroker.app.cli;

import io.aibroker.app.config.AppConfig;
import io.aibroker.app.config.ComponentConfigs;
import io.aibroker.client.AiBrokerClient;
import io.aibroker.records.ChatMessage;
import io.aibroker.records.GenerationParams;
import io.aibroker.records.InferenceRequest;
import io.aibroker.records.InferenceResult;
import io.aibroker.records.Priority;
import io.aibroker.records.ResultStatus;
import io.aibroker.records.Task;
import io.aibroker.registry.RestSchemaRegistryClient;
import io.aibroker.registry.SchemaRegistryConfig;
import io.aibroker.schemas.RecordSerdes;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
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
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code aibroker submit}: publishes one request, waits for its result and prints it as JSON. Exit
 * code 0 when it SUCCEEDED, 2 for any other terminal status, 1 for usage or connection errors.
 */
@Command(
    name = "submit",
    mixinStandardHelpOptions = true,
    description = {
      "Submits one request and prints its result as a JSON object.",
      "With --file: submits every line of an OpenAI Batch input file and writes the OpenAI Batch"
          + " output (--out), with a progress bar on stderr."
    },
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {
      "0:the request SUCCEEDED (with --file: every line did)",
      "1:usage or connection error",
      "2:the request ended FAILED, REJECTED or EXPIRED, or no result came in time (with --file:"
          + " any line did not succeed)"
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
      names = "--priority",
      defaultValue = "INTERACTIVE",
      description =
          "INTERACTIVE (default) or BATCH: a BATCH chat to a model whose route enables provider"
              + " batch goes into a provider batch job at the batch price.")
  Priority priority;

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

  @Parameters(
      paramLabel = "TEXT",
      arity = "0..1",
      description = "The prompt (or text to embed); not used with --file.")
  String text;

  @Option(
      names = "--file",
      paramLabel = "JSONL",
      description =
          "Submit every line of an OpenAI Batch input file ({\"custom_id\", \"method\","
              + " \"url\", \"body\"} per line; /v1/chat/completions or /v1/embeddings) instead"
              + " of TEXT. The request id comes from tenant and custom_id, so a rerun is"
              + " recognised; the idempotency key is the custom_id.")
  Path file;

  @Option(
      names = "--out",
      paramLabel = "JSONL",
      description =
          "With --file: where the OpenAI Batch output goes, one line per custom_id in completion"
              + " order, errors included (default: standard output).")
  Path out;

  @Option(
      names = "--concurrency",
      paramLabel = "N",
      defaultValue = "32",
      description =
          "With --file: requests waiting for their results at once (default: ${DEFAULT-VALUE}).")
  int concurrency;

  @Option(
      names = "--progress",
      description = "With --file: show the progress bar on stderr even when it is not a terminal.")
  boolean progress;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (file == null && text == null) {
      throw new ParameterException(
          spec.commandLine(), "Missing required parameter: 'TEXT' (or --file)");
    }
    if (file == null && out != null) {
      throw new ParameterException(spec.commandLine(), "--out needs --file");
    }
    if (file != null && text != null) {
      throw new ParameterException(spec.commandLine(), "give either TEXT or --file, not both");
    }
    if (concurrency < 1) {
      throw new ParameterException(spec.commandLine(), "--concurrency must be at least 1");
    }
    if (file != null && !Files.isReadable(file)) {
      throw new ParameterException(spec.commandLine(), "cannot read " + file);
    }
    AppConfig config = options.load(Map.of());
    var registry =
        new RestSchemaRegistryClient(SchemaRegistryConfig.of(Endpoints.registryUrl(config)));
    Map<String, Object> client = Endpoints.kafkaClient(config);
    client.put("max.block.ms", 15_000);
    try (var broker =
        new AiBrokerClient(client, new RecordSerdes(registry), ComponentConfigs.topics(config))) {
      if (file != null) {
        return submitFile(broker);
      }
      InferenceResult result = await(broker, request());
      System.out.println(RecordJson.toJson(result));
      return result.getStatus() == ResultStatus.SUCCEEDED ? 0 : EXIT_NOT_SUCCEEDED;
    }
  }

  private int submitFile(AiBrokerClient broker) throws Exception {
    PrintStream bar = progress || System.console() != null ? System.err : null;
    Path target = out;
    Path temporary = null;
    if (target == null) {
      temporary = Files.createTempFile("aibroker-batch", ".jsonl");
      target = temporary;
    }
    try {
      boolean allSucceeded =
          new BatchSubmit(broker, tenant, concurrency, timeout, bar, priority).run(file, target);
      if (temporary != null) {
        Files.copy(temporary, System.out);
        System.out.flush();
      }
      return allSucceeded ? 0 : EXIT_NOT_SUCCEEDED;
    } finally {
      if (temporary != null) {
        Files.deleteIfExists(temporary);
      }
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
            .setPriority(priority)
            .setCreatedAt(Instant.now());
    if (embed) {
      builder.setTask(Task.EMBED).setInputs(List.of(text));
    } else {
      builder.setTask(Task.CHAT).setMessages(List.of(new ChatMessage("user", text, null)));
    }
    if (maxTokens != null) {
      builder.setParams(GenerationParams.newBuilder().setMaxTokens(maxTokens).build());
    }
    return builder.build();
  }
}
