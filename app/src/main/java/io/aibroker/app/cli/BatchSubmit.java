package io.aibroker.app.cli;

import io.aibroker.client.AiBrokerClient;
import io.aibroker.records.InferenceResult;
import io.aibroker.records.Priority;
import io.aibroker.records.ResultStatus;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Submits an OpenAI Batch input file line by line with bounded concurrency and writes the OpenAI
 * Batch output file in completion order, one line per input line.
 */
final class BatchSubmit {

  private final Priority priority;

  private final AiBrokerClient client;
  private final String tenant;
  private final int concurrency;
  private final Duration timeout;
  private final PrintStream progressOut;

  /**
   * @param client a connected client
   * @param tenant the tenant every request belongs to
   * @param concurrency how many requests may wait for their results at once
   * @param timeout how long each request may wait for its result
   * @param progressOut where the progress bar goes, or null for none
   * @param priority every line's priority: {@code BATCH} sends lines to models with provider batch
   *     enabled into provider batch jobs, at the batch price
   */
  BatchSubmit(
      AiBrokerClient client,
      String tenant,
      int concurrency,
      Duration timeout,
      PrintStream progressOut,
      Priority priority) {
    this.client = client;
    this.priority = priority;
    this.tenant = tenant;
    this.concurrency = concurrency;
    this.timeout = timeout;
    this.progressOut = progressOut;
  }

  /**
   * Runs the file.
   *
   * @return whether every line succeeded
   */
  boolean run(Path in, Path out) throws IOException, InterruptedException {
    long total;
    try (var lines = Files.lines(in, StandardCharsets.UTF_8)) {
      total = lines.filter(l -> !l.isBlank()).count();
    }
    ProgressBar progress = progressOut == null ? null : new ProgressBar(progressOut, total);
    AtomicBoolean allSucceeded = new AtomicBoolean(true);
    Semaphore slots = new Semaphore(concurrency);
    Set<String> seen = new HashSet<>();
    Object writeLock = new Object();
    try (BufferedReader reader = Files.newBufferedReader(in, StandardCharsets.UTF_8);
        BufferedWriter writer = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
      Writer write =
          line -> {
            synchronized (writeLock) {
              try {
                writer.write(line);
                writer.newLine();
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            }
            if (progress != null) {
              progress.step();
            }
          };
      String text;
      while ((text = reader.readLine()) != null) {
        if (text.isBlank()) {
          continue;
        }
        BatchLine line = BatchLine.parse(text, tenant, Instant.now());
        if (line.valid()) {
          line.request().setPriority(priority);
        }
        if (line.valid() && !seen.add(line.customId())) {
          line = new BatchLine(line.customId(), null, "duplicate custom_id " + line.customId());
        }
        if (!line.valid()) {
          allSucceeded.set(false);
          write.line(
              BatchOutput.error(line.customId(), null, BatchOutput.INVALID_REQUEST, line.error()));
          continue;
        }
        slots.acquire();
        BatchLine submitted = line;
        CompletableFuture<InferenceResult> future;
        try {
          future = client.submit(line.request(), timeout);
        } catch (RuntimeException e) {
          slots.release();
          throw e;
        }
        future.whenComplete(
            (result, error) -> {
              try {
                if (result != null && result.getStatus() == ResultStatus.SUCCEEDED) {
                  write.line(BatchOutput.result(submitted.customId(), submitted.request(), result));
                } else {
                  allSucceeded.set(false);
                  write.line(
                      result != null
                          ? BatchOutput.result(submitted.customId(), submitted.request(), result)
                          : failure(submitted, error));
                }
              } finally {
                slots.release();
              }
            });
      }
      slots.acquire(concurrency); // every result written
      slots.release(concurrency);
    } finally {
      if (progress != null) {
        progress.finish();
      }
    }
    return allSucceeded.get();
  }

  private String failure(BatchLine line, Throwable error) {
    Throwable cause =
        error instanceof ExecutionException && error.getCause() != null ? error.getCause() : error;
    if (cause instanceof CompletionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    String requestId = line.request().getRequestId();
    if (cause instanceof TimeoutException) {
      return BatchOutput.error(
          line.customId(), requestId, BatchOutput.TIMEOUT, "no result within " + timeout);
    }
    return BatchOutput.error(
        line.customId(),
        requestId,
        "submit_failed",
        cause == null ? "unknown error" : TailCommand.oneLine(String.valueOf(cause.getMessage())));
  }

  private interface Writer {
    void line(String line);
  }
}
