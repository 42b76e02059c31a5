package io.aibroker.connector.workersai;

import io.aibroker.connector.InvalidRequestException;
import io.aibroker.connector.batch.BatchApi;
import io.aibroker.connector.batch.BatchJob;
import io.aibroker.connector.batch.BatchJobStatus;
import io.aibroker.connector.batch.BatchSubmission;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * Workers AI's asynchronous batch API: a job is one POST of all its calls to {@code
 * /ai/run/{model}?queueRequest=true}, polled by POSTing its {@code request_id} to the same URL (see
 * {@link WorkersAiBatchJson} for the shapes). Uses the connector's HTTP client, token and error
 * mapper, on the same base URL and account as real-time calls.
 *
 * <p>Cloudflare has no way to look a queued request up by anything of ours, so {@link #canFind()}
 * is false: a job whose submission outcome is unknown is never submitted again.
 */
final class WorkersAiBatchApi implements BatchApi {

  /**
   * Cloudflare's limit on a queued request's payload; a larger job is refused here, before it is
   * sent, with the error Cloudflare would give ({@code 3006}, request too large).
   */
  static final int MAX_PAYLOAD_BYTES = 10 * 1000 * 1000;

  private final WorkersAiConfig config;
  private final HttpClient client;
  private final WorkersAiEndpoints endpoints;
  private final WorkersAiErrorMapper errors;
  private final String authorization;

  WorkersAiBatchApi(
      WorkersAiConfig config,
      HttpClient client,
      WorkersAiEndpoints endpoints,
      WorkersAiErrorMapper errors,
      String authorization) {
    this.config = Objects.requireNonNull(config, "config");
    this.client = Objects.requireNonNull(client, "client");
    this.endpoints = Objects.requireNonNull(endpoints, "endpoints");
    this.errors = Objects.requireNonNull(errors, "errors");
    this.authorization = Objects.requireNonNull(authorization, "authorization");
  }

  @Override
  public Duration window() {
    return config.batchWindow();
  }

  @Override
  public CompletionStage<BatchJob> submit(BatchSubmission submission) {
    Map<String, String> attributes;
    URI uri;
    byte[] body;
    try {
      attributes = BatchLineShapes.attributes(submission);
      uri = endpoints.queue(submission.providerModel());
      body = WorkersAiJson.bytes(WorkersAiBatchJson.submitBody(submission));
    } catch (IllegalArgumentException invalid) {
      return CompletableFuture.failedFuture(
          new InvalidRequestException(WorkersAiConnector.PROVIDER, invalid.getMessage()));
    }
    if (body.length > MAX_PAYLOAD_BYTES) {
      return CompletableFuture.failedFuture(
          errors.map(
              413,
              WorkersAiErrorMapper.REQUEST_TOO_LARGE,
              "batch job of "
                  + submission.calls().size()
                  + " calls is "
                  + body.length
                  + " bytes, over Workers AI's limit of "
                  + MAX_PAYLOAD_BYTES,
              null));
    }
    return post(uri, body)
        .thenApply(
            response -> {
              int status = response.statusCode();
              if (status / 100 != 2) {
                throw errors.fromResponse(
                    status,
                    response.headers().firstValue("Retry-After").orElse(null),
                    response.body());
              }
              try {
                var reply = WorkersAiJson.parse(response.body());
                if (WorkersAiJson.isError(reply)) {
                  throw errors.fromResponse(status, null, response.body());
                }
                return new BatchJob(
                    submission.key(), WorkersAiBatchJson.requestIdOf(reply), attributes);
              } catch (WorkersAiJson.Malformed malformed) {
                throw errors.malformed(status, malformed.getMessage());
              }
            });
  }

  @Override
  public boolean canFind() {
    return false;
  }

  /**
   * Not supported: Workers AI cannot list or look up queued requests.
   *
   * @throws UnsupportedOperationException always
   */
  @Override
  public CompletionStage<Optional<BatchJob>> find(BatchSubmission submission) {
    throw new UnsupportedOperationException("Workers AI cannot look batch jobs up by key");
  }

  @Override
  public CompletionStage<BatchJobStatus> poll(BatchJob job) {
    String model = job.attributes().get(BatchLineShapes.MODEL);
    URI uri;
    try {
      if (model == null) {
        throw new IllegalArgumentException("the job's attributes name no model");
      }
      uri = endpoints.queue(model);
    } catch (IllegalArgumentException invalid) {
      return CompletableFuture.failedFuture(
          new InvalidRequestException(WorkersAiConnector.PROVIDER, invalid.getMessage()));
    }
    return post(uri, WorkersAiJson.bytes(WorkersAiBatchJson.pollBody(job)))
        .thenApply(
            response ->
                WorkersAiBatchJson.status(
                    response.statusCode(),
                    response.headers().firstValue("Retry-After").orElse(null),
                    response.body(),
                    job,
                    errors));
  }

  /** POSTs JSON; the stage fails with the client's error unwrapped, bounded by the timeout. */
  private CompletableFuture<HttpResponse<String>> post(URI uri, byte[] body) {
    Duration timeout = config.requestTimeout();
    HttpRequest request =
        HttpRequest.newBuilder(uri)
            .timeout(timeout)
            .header("Authorization", authorization)
            .header("Content-Type", "application/json")
            .header("Accept", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build();
    CompletableFuture<HttpResponse<String>> http =
        client.sendAsync(request, HttpResponse.BodyHandlers.ofString());
    CompletableFuture<HttpResponse<String>> result = new CompletableFuture<>();
    http.whenComplete(
        (response, failure) -> {
          if (failure == null) {
            result.complete(response);
          } else {
            result.completeExceptionally(
                failure instanceof CompletionException && failure.getCause() != null
                    ? errors.map(failure.getCause())
                    : errors.map(failure));
          }
        });
    // HttpRequest.timeout stops at the response headers; this bounds reading the body too.
    result.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
    result.whenComplete(
        (response, failure) -> {
          if (failure != null) {
            http.cancel(true);
          }
        });
    return result;
  }
}
