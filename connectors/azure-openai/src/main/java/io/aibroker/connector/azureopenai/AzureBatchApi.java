package io.aibroker.connector.azureopenai;

import com.azure.ai.openai.OpenAIAsyncClient;
import com.azure.ai.openai.models.Batch;
import com.azure.ai.openai.models.BatchCreateRequest;
import com.azure.ai.openai.models.BatchErrorDatum;
import com.azure.ai.openai.models.FileDetails;
import com.azure.ai.openai.models.FilePurpose;
import com.azure.ai.openai.models.PageableList;
import com.azure.core.util.BinaryData;
import io.aibroker.connector.ProviderException;
import io.aibroker.connector.batch.BatchApi;
import io.aibroker.connector.batch.BatchJob;
import io.aibroker.connector.batch.BatchJobStatus;
import io.aibroker.connector.batch.BatchLineResult;
import io.aibroker.connector.batch.BatchSubmission;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.stream.Collectors;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Azure OpenAI Global Batch through the connector's own SDK client (same endpoint, api-version,
 * credential, transport and no-retry policy as its real-time calls):
 *
 * <ol>
 *   <li>{@link #submit}: uploads the calls as a JSONL file ({@link BatchLines}, purpose {@code
 *       batch}) and creates a batch on it for {@code /chat/completions} with a {@value
 *       #COMPLETION_WINDOW} window and {@code metadata: {"aibroker_job": <key>}}
 *   <li>{@link #find}: lists the resource's batches, newest first, page by page, for the one whose
 *       metadata carries the key
 *   <li>{@link #poll}: gets the batch; once it ended, downloads its output and error files and
 *       reads each line's result ({@link BatchOutputParser})
 * </ol>
 *
 * <p>Stages complete on Reactor's bounded-elastic threads, never on Netty's event loop, and fail
 * with the {@link ProviderException} the connector's error mapper makes of the SDK's failure.
 */
final class AzureBatchApi implements BatchApi {

  /** The metadata key the submission's key goes under. */
  static final String JOB_KEY = "aibroker_job";

  /** The completion window Azure takes (its only one; any other fails the job). */
  static final String COMPLETION_WINDOW = "24h";

  /** The most batches one list request asks for (OpenAI's and Azure's limit). */
  static final int DEFAULT_LIST_PAGE_SIZE = 100;

  /** The attribute of a {@link BatchJob} holding the uploaded input file's id. */
  static final String INPUT_FILE_ID = "input_file_id";

  /** Longest job-level message kept: Azure lists one error per failing line of the input. */
  static final int MAX_MESSAGE_CHARS = 2_000;

  private static final Duration WINDOW = Duration.ofHours(24);

  private final OpenAIAsyncClient client;
  private final AzureOpenAiErrorMapper errors;
  private final BatchOutputParser parser;
  private final int listPageSize;

  /**
   * @param client the connector's SDK client
   * @param errors the connector's error mapper, for failed requests and failed lines
   * @param listPageSize how many batches {@link #find} asks for per list request, 1 to 100
   */
  AzureBatchApi(OpenAIAsyncClient client, AzureOpenAiErrorMapper errors, int listPageSize) {
    this.client = Objects.requireNonNull(client, "client");
    this.errors = Objects.requireNonNull(errors, "errors");
    if (listPageSize < 1 || listPageSize > DEFAULT_LIST_PAGE_SIZE) {
      throw new IllegalArgumentException(
          "listPageSize must be 1 to " + DEFAULT_LIST_PAGE_SIZE + ", was " + listPageSize);
    }
    this.listPageSize = listPageSize;
    this.parser = new BatchOutputParser(errors);
  }

  /** Azure's 24-hour completion window. */
  @Override
  public Duration window() {
    return WINDOW;
  }

  @Override
  public CompletionStage<BatchJob> submit(BatchSubmission submission) {
    Objects.requireNonNull(submission, "submission");
    byte[] file;
    try {
      file = BatchLines.jsonl(submission);
    } catch (RuntimeException unbatchable) {
      return CompletableFuture.failedFuture(unbatchable);
    }
    FileDetails details = new FileDetails(BinaryData.fromBytes(file), fileName(submission.key()));
    return run(
        client
            .uploadFile(details, FilePurpose.BATCH)
            .flatMap(
                uploaded ->
                    client.createBatch(
                        new BatchCreateRequest(
                                BatchLines.CHAT_COMPLETIONS, uploaded.getId(), COMPLETION_WINDOW)
                            .setMetadata(Map.of(JOB_KEY, submission.key()))))
            .map(batch -> job(submission.key(), batch)));
  }

  /** Azure batches carry metadata, which the key goes into: always true. */
  @Override
  public boolean canFind() {
    return true;
  }

  /**
   * Lists every batch of the resource, newest first, until one carries the key; a submission whose
   * answer was lost is recent, so usually the first page has it. The whole list is read when none
   * does: stopping early would risk submitting a job twice.
   */
  @Override
  public CompletionStage<Optional<BatchJob>> find(BatchSubmission submission) {
    Objects.requireNonNull(submission, "submission");
    String key = submission.key();
    return run(
        page(null)
            .expand(page -> page.next().map(this::page).orElse(Mono.empty()))
            .concatMapIterable(Page::batches)
            .filter(batch -> batch.getMetadata() != null)
            .filter(batch -> key.equals(batch.getMetadata().get(JOB_KEY)))
            .next()
            .map(batch -> Optional.of(job(key, batch)))
            .defaultIfEmpty(Optional.empty()));
  }

  @Override
  public CompletionStage<BatchJobStatus> poll(BatchJob job) {
    Objects.requireNonNull(job, "job");
    return run(client.getBatch(job.providerJobId()).flatMap(this::status));
  }

  private Mono<BatchJobStatus> status(Batch batch) {
    String state = batch.getStatus() == null ? "unknown" : batch.getStatus().toString();
    Optional<BatchJobStatus.End> ended = BatchStates.end(state);
    if (ended.isEmpty()) {
      return Mono.just(new BatchJobStatus.Running(state));
    }
    BatchJobStatus.End end = ended.get();
    if (end == BatchJobStatus.End.FAILED) {
      // A failed job ran no line (its input did not validate, or Azure failed it as a whole).
      return Mono.just(new BatchJobStatus.Ended(end, state, message(batch, end), Map.of()));
    }
    return Mono.zip(content(batch.getOutputFileId()), content(batch.getErrorFileId()))
        // Off Netty's event loop: a 1,000-line job's files take a while to read.
        .publishOn(Schedulers.boundedElastic())
        .map(
            files -> {
              Map<String, BatchLineResult> lines = new LinkedHashMap<>();
              parser.parse(files.getT1(), lines);
              parser.parse(files.getT2(), lines);
              String message = end == BatchJobStatus.End.COMPLETED ? null : message(batch, end);
              return new BatchJobStatus.Ended(end, state, message, lines);
            });
  }

  /** A file's text; empty when the job has no such file. */
  private Mono<String> content(String fileId) {
    if (fileId == null || fileId.isBlank()) {
      return Mono.just("");
    }
    return client
        .getFileContent(fileId)
        .map(bytes -> new String(bytes, StandardCharsets.UTF_8))
        .defaultIfEmpty("");
  }

  /**
   * Azure's own account of a job that did not complete, {@code errors.data[*].message} (scrubbed of
   * the key, shortened), or a plain one when it gives none (as for expiry).
   */
  private String message(Batch batch, BatchJobStatus.End end) {
    List<BatchErrorDatum> data =
        batch.getErrors() == null || batch.getErrors().getData() == null
            ? List.of()
            : batch.getErrors().getData();
    String joined =
        data.stream()
            .map(BatchErrorDatum::getMessage)
            .filter(message -> message != null && !message.isBlank())
            .map(String::trim)
            .distinct()
            .collect(Collectors.joining("; "));
    if (joined.isEmpty()) {
      return "Azure OpenAI batch " + end.name().toLowerCase(java.util.Locale.ROOT);
    }
    String scrubbed = errors.scrubbed(joined);
    return scrubbed.length() <= MAX_MESSAGE_CHARS
        ? scrubbed
        : scrubbed.substring(0, MAX_MESSAGE_CHARS) + "...";
  }

  private Mono<Page> page(String after) {
    return client
        .listBatches(after, listPageSize)
        .map(list -> new Page(after, list))
        .defaultIfEmpty(new Page(after, null));
  }

  /**
   * One page of the batch list.
   *
   * @param after the cursor it was asked with
   * @param list what Azure answered
   */
  private record Page(String after, PageableList<Batch> list) {

    List<Batch> batches() {
      return list == null || list.getData() == null ? List.of() : list.getData();
    }

    /** The cursor of the next page; empty at the end, or when Azure's cursor would not move. */
    Optional<String> next() {
      List<Batch> batches = batches();
      if (list == null || !list.isHasMore() || batches.isEmpty()) {
        return Optional.empty();
      }
      String last =
          list.getLastId() != null ? list.getLastId() : batches.get(batches.size() - 1).getId();
      return last == null || last.equals(after) ? Optional.empty() : Optional.of(last);
    }
  }

  private static BatchJob job(String key, Batch batch) {
    Map<String, String> attributes = new LinkedHashMap<>();
    if (batch.getInputFileId() != null) {
      attributes.put(INPUT_FILE_ID, batch.getInputFileId());
    }
    return new BatchJob(key, batch.getId(), attributes);
  }

  /** The input file's name: the key, so the file can be told apart in Azure's file list. */
  static String fileName(String key) {
    return "aibroker-" + key.replaceAll("[^A-Za-z0-9._-]", "_") + ".jsonl";
  }

  /**
   * Subscribes, completing off Netty's event loop with the mapped failure; cancelling the stage
   * cancels the requests.
   */
  private <T> CompletableFuture<T> run(Mono<T> request) {
    return request
        .onErrorMap(failure -> !(failure instanceof ProviderException), errors::map)
        .publishOn(Schedulers.boundedElastic())
        .toFuture();
  }
}
