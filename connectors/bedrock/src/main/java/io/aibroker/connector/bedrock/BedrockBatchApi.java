package io.aibroker.connector.bedrock;

import io.aibroker.connector.InvalidRequestException;
import io.aibroker.connector.ProviderErrorMapper;
import io.aibroker.connector.ProviderServerException;
import io.aibroker.connector.batch.BatchApi;
import io.aibroker.connector.batch.BatchJob;
import io.aibroker.connector.batch.BatchJobStatus;
import io.aibroker.connector.batch.BatchLineResult;
import io.aibroker.connector.batch.BatchSubmission;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.services.bedrock.BedrockAsyncClient;
import software.amazon.awssdk.services.bedrock.model.CreateModelInvocationJobRequest;
import software.amazon.awssdk.services.bedrock.model.GetModelInvocationJobResponse;
import software.amazon.awssdk.services.bedrock.model.ModelInvocationJobInputDataConfig;
import software.amazon.awssdk.services.bedrock.model.ModelInvocationJobOutputDataConfig;
import software.amazon.awssdk.services.bedrock.model.ModelInvocationJobS3InputDataConfig;
import software.amazon.awssdk.services.bedrock.model.ModelInvocationJobS3OutputDataConfig;
import software.amazon.awssdk.services.bedrock.model.ModelInvocationJobSummary;
import software.amazon.awssdk.services.bedrock.model.S3InputFormat;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * Bedrock batch inference: a job's calls go to S3 as one JSONL file, a model invocation job runs
 * them, and its output file under {@code <output-s3-uri><job id>/} holds each record's answer or
 * error.
 *
 * <p>The submission key names everything: the input file {@code <input-s3-uri><key>.jsonl}, the job
 * {@code aibroker-<key>} (cut to Bedrock's 63 characters with a hash when longer) and the job's
 * {@code clientRequestToken}, which makes a repeated create return the job created first. Record
 * ids are {@code R0000000001}-style line numbers ({@link BatchRecords}); the request ids they stand
 * for travel with the job in its attributes, so a job read back after a restart maps them the same.
 *
 * <p>Thread-safe; never retries on its own. Closing is the connector's: it owns the clients.
 */
final class BedrockBatchApi implements BatchApi {

  /** Attribute: the job's input file, {@code s3://bucket/prefix/<key>.jsonl}. */
  static final String INPUT_URI = "inputS3Uri";

  /** Attribute: the output prefix the job writes under. */
  static final String OUTPUT_URI = "outputS3Uri";

  /** Attribute: the model the job runs. */
  static final String MODEL = "modelId";

  /** Attribute: the request ids of the lines in line order ({@link BatchRecords}). */
  static final String REQUEST_IDS = "requestIds";

  /** How job names start, so that the broker's jobs are told apart from others in the account. */
  static final String JOB_NAME_PREFIX = "aibroker-";

  private static final int MAX_JOB_NAME = 63;
  private static final int MAX_TOKEN = 256;
  private static final Pattern TOKEN = Pattern.compile("[a-zA-Z0-9](-*[a-zA-Z0-9])*");
  private static final Pattern NOT_NAME_CHAR = Pattern.compile("[^a-zA-Z0-9.-]");
  private static final int MAX_LISTED = 1000;

  private final BedrockBatchConfig config;
  private final BedrockAsyncClient bedrock;
  private final S3AsyncClient s3;
  private final ProviderErrorMapper errorMapper;

  /**
   * @param config where the files go and which role Bedrock assumes
   * @param bedrock the control-plane client
   * @param s3 the S3 client
   * @param errorMapper classifies line errors
   */
  BedrockBatchApi(
      BedrockBatchConfig config,
      BedrockAsyncClient bedrock,
      S3AsyncClient s3,
      ProviderErrorMapper errorMapper) {
    this.config = Objects.requireNonNull(config, "config");
    this.bedrock = Objects.requireNonNull(bedrock, "bedrock");
    this.s3 = Objects.requireNonNull(s3, "s3");
    this.errorMapper = Objects.requireNonNull(errorMapper, "errorMapper");
  }

  /** The job timeout: Bedrock expires a job that has not finished by then. */
  @Override
  public Duration window() {
    return config.timeout();
  }

  @Override
  public CompletionStage<BatchJob> submit(BatchSubmission submission) {
    Objects.requireNonNull(submission, "submission");
    return guarded(
        () -> {
          byte[] file = BatchRecords.jsonl(submission);
          S3Location input = inputFile(submission.key());
          Map<String, String> attributes = attributes(submission, input.uri());
          CreateModelInvocationJobRequest create =
              CreateModelInvocationJobRequest.builder()
                  .jobName(jobName(submission.key()))
                  .clientRequestToken(clientRequestToken(submission.key()))
                  .roleArn(config.roleArn())
                  .modelId(submission.providerModel())
                  .inputDataConfig(
                      ModelInvocationJobInputDataConfig.fromS3InputDataConfig(
                          ModelInvocationJobS3InputDataConfig.builder()
                              .s3InputFormat(S3InputFormat.JSONL)
                              .s3Uri(input.uri())
                              .build()))
                  .outputDataConfig(
                      ModelInvocationJobOutputDataConfig.fromS3OutputDataConfig(
                          ModelInvocationJobS3OutputDataConfig.builder()
                              .s3Uri(config.outputS3Uri())
                              .build()))
                  .timeoutDurationInHours(config.timeoutHours())
                  .build();
          return s3.putObject(
                  put ->
                      put.bucket(input.bucket()).key(input.key()).contentType("application/jsonl"),
                  AsyncRequestBody.fromBytes(file))
              .thenCompose(uploaded -> bedrock.createModelInvocationJob(create))
              .thenApply(created -> new BatchJob(submission.key(), created.jobArn(), attributes));
        });
  }

  @Override
  public boolean canFind() {
    return true;
  }

  /**
   * Lists the jobs whose name contains the submission's job name and picks the one with exactly
   * that name and idempotency token.
   */
  @Override
  public CompletionStage<Optional<BatchJob>> find(BatchSubmission submission) {
    Objects.requireNonNull(submission, "submission");
    return guarded(
        () -> {
          String name = jobName(submission.key());
          String token = clientRequestToken(submission.key());
          return bedrock
              .listModelInvocationJobs(list -> list.nameContains(name).maxResults(MAX_LISTED))
              .thenApply(
                  listed ->
                      listed.invocationJobSummaries().stream()
                          .filter(job -> name.equals(job.jobName()))
                          .filter(
                              job ->
                                  job.clientRequestToken() == null
                                      || token.equals(job.clientRequestToken()))
                          .findFirst()
                          .map(job -> found(submission, job)));
        });
  }

  @Override
  public CompletionStage<BatchJobStatus> poll(BatchJob job) {
    Objects.requireNonNull(job, "job");
    return guarded(
        () ->
            bedrock
                .getModelInvocationJob(get -> get.jobIdentifier(job.providerJobId()))
                .thenCompose(status -> status(job, status)));
  }

  private CompletableFuture<BatchJobStatus> status(
      BatchJob job, GetModelInvocationJobResponse status) {
    String state = status.statusAsString() == null ? "Unknown" : status.statusAsString();
    return switch (state) {
      case "Completed", "PartiallyCompleted" ->
          lines(job, status, true)
              .thenApply(
                  lines ->
                      new BatchJobStatus.Ended(BatchJobStatus.End.COMPLETED, state, null, lines));
      case "Failed" ->
          CompletableFuture.completedFuture(
              new BatchJobStatus.Ended(
                  BatchJobStatus.End.FAILED, state, message(status), Map.of()));
      case "Expired" ->
          lines(job, status, false)
              .thenApply(
                  lines ->
                      new BatchJobStatus.Ended(
                          BatchJobStatus.End.EXPIRED, state, message(status), lines));
      case "Stopped" ->
          lines(job, status, false)
              .thenApply(
                  lines ->
                      new BatchJobStatus.Ended(
                          BatchJobStatus.End.CANCELLED, state, message(status), lines));
      // Submitted, Validating, Scheduled, InProgress, Stopping, and any state Bedrock adds: a job
      // is only over when it says so.
      default -> CompletableFuture.completedFuture(new BatchJobStatus.Running(state));
    };
  }

  /**
   * The results in the job's output file.
   *
   * @param required whether the file must be there (a completed job); a job that expired or was
   *     stopped before any record finished may have none
   */
  private CompletableFuture<Map<String, BatchLineResult>> lines(
      BatchJob job, GetModelInvocationJobResponse status, boolean required) {
    List<String> requestIds = requestIds(job);
    String model = job.attributes().getOrDefault(MODEL, status.modelId());
    BatchOutputParser parser =
        new BatchOutputParser(BatchModelFamily.of(model), requestIds, errorMapper);
    S3Location output = outputFile(job, status);
    return s3.getObject(
            get -> get.bucket(output.bucket()).key(output.key()),
            AsyncResponseTransformer.toBytes())
        .thenApply(bytes -> parser.parse(bytes.asByteArray()))
        .exceptionally(
            failure -> {
              if (unwrap(failure) instanceof NoSuchKeyException) {
                if (required) {
                  // Bedrock reports the job done once the file is written; should S3 lag, the
                  // worker polls again.
                  throw new ProviderServerException(
                      BedrockErrorMapper.PROVIDER,
                      "the output file of completed job "
                          + job.providerJobId()
                          + " is not in S3 (yet)");
                }
                return Map.of();
              }
              throw failure instanceof CompletionException completion
                  ? completion
                  : new CompletionException(failure);
            });
  }

  /**
   * {@code <output prefix><job id>/<input file name>.out}, where Bedrock writes a job's results;
   * the prefix and input file as the job reports them, else as recorded.
   */
  static S3Location outputFile(BatchJob job, GetModelInvocationJobResponse status) {
    String outputPrefix =
        status.outputDataConfig() != null
                && status.outputDataConfig().s3OutputDataConfig() != null
                && status.outputDataConfig().s3OutputDataConfig().s3Uri() != null
            ? status.outputDataConfig().s3OutputDataConfig().s3Uri()
            : job.attributes().get(OUTPUT_URI);
    String inputUri =
        status.inputDataConfig() != null
                && status.inputDataConfig().s3InputDataConfig() != null
                && status.inputDataConfig().s3InputDataConfig().s3Uri() != null
            ? status.inputDataConfig().s3InputDataConfig().s3Uri()
            : job.attributes().get(INPUT_URI);
    if (outputPrefix == null || inputUri == null) {
      throw new InvalidRequestException(
          BedrockErrorMapper.PROVIDER,
          "job " + job.providerJobId() + " has no input or output location");
    }
    String inputName = inputUri.substring(inputUri.lastIndexOf('/') + 1);
    return S3Location.parse("outputS3Uri", outputPrefix)
        .resolve(jobId(job.providerJobId()) + "/" + inputName + ".out");
  }

  /** The job id: the last segment of the job ARN. */
  static String jobId(String jobArn) {
    return jobArn.substring(jobArn.lastIndexOf('/') + 1);
  }

  /**
   * {@code aibroker-<key>}: characters Bedrock does not take become {@code -}; a name longer than
   * Bedrock's 63 characters keeps its start and ends in a hash of the whole key, so distinct keys
   * keep distinct names.
   */
  static String jobName(String key) {
    String name = JOB_NAME_PREFIX + NOT_NAME_CHAR.matcher(key).replaceAll("-");
    if (name.length() <= MAX_JOB_NAME) {
      return name;
    }
    String hash = sha256(key).substring(0, 12);
    return name.substring(0, MAX_JOB_NAME - hash.length() - 1) + "-" + hash;
  }

  /** The key where Bedrock takes it as a token (letters, digits, inner hyphens), else its hash. */
  static String clientRequestToken(String key) {
    return key.length() <= MAX_TOKEN && TOKEN.matcher(key).matches() ? key : sha256(key);
  }

  /** {@code <input-s3-uri><key>.jsonl}, the key's unsafe characters made {@code -}. */
  S3Location inputFile(String key) {
    return config.input().resolve(NOT_NAME_CHAR.matcher(key).replaceAll("-") + ".jsonl");
  }

  private BatchJob found(BatchSubmission submission, ModelInvocationJobSummary job) {
    String input =
        job.inputDataConfig() != null
                && job.inputDataConfig().s3InputDataConfig() != null
                && job.inputDataConfig().s3InputDataConfig().s3Uri() != null
            ? job.inputDataConfig().s3InputDataConfig().s3Uri()
            : inputFile(submission.key()).uri();
    Map<String, String> attributes = attributes(submission, input);
    if (job.outputDataConfig() != null
        && job.outputDataConfig().s3OutputDataConfig() != null
        && job.outputDataConfig().s3OutputDataConfig().s3Uri() != null) {
      attributes.put(OUTPUT_URI, job.outputDataConfig().s3OutputDataConfig().s3Uri());
    }
    return new BatchJob(submission.key(), job.jobArn(), attributes);
  }

  private Map<String, String> attributes(BatchSubmission submission, String inputUri) {
    Map<String, String> attributes = new LinkedHashMap<>();
    attributes.put(INPUT_URI, inputUri);
    attributes.put(OUTPUT_URI, config.outputS3Uri());
    attributes.put(MODEL, submission.providerModel());
    attributes.put(REQUEST_IDS, BatchRecords.encodeRequestIds(submission));
    return attributes;
  }

  private static List<String> requestIds(BatchJob job) {
    try {
      return BatchRecords.decodeRequestIds(job.attributes().get(REQUEST_IDS));
    } catch (IllegalArgumentException unreadable) {
      // Polling again cannot fix a record without the mapping.
      throw new InvalidRequestException(
          BedrockErrorMapper.PROVIDER,
          "job " + job.providerJobId() + " was recorded without readable request ids");
    }
  }

  private static String message(GetModelInvocationJobResponse status) {
    String message = status.message();
    return message == null || message.isBlank()
        ? "Bedrock job " + status.statusAsString()
        : message;
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  /** Turns anything thrown while preparing a request into a failed stage. */
  private static <T> CompletableFuture<T> guarded(Supplier<CompletableFuture<T>> call) {
    try {
      return call.get();
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private static Throwable unwrap(Throwable failure) {
    Throwable current = failure;
    while (current instanceof CompletionException && current.getCause() != null) {
      current = current.getCause();
    }
    return current;
  }
}
