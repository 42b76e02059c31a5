package io.aibroker.app.http;

import io.aibroker.client.StreamingResponse;
import io.aibroker.records.InferenceResult;
import io.aibroker.records.ResultChunk;
import io.aibroker.records.ResultStatus;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * Answers one {@code stream: true} chat completion with server-sent events from the request's
 * {@link StreamingResponse}.
 *
 * <p>Nothing is sent until the first chunk or the result arrives, so a request that is rejected
 * (quota, unknown model ...) before any output gets a plain JSON error with its HTTP status, 429
 * and Retry-After included. Once the stream started, a failure ends it with an error event ({@code
 * data: {"error": {...}}}, which OpenAI's SDKs raise as an error) instead of {@code [DONE]}. A
 * result that comes without chunks (a cache hit, a duplicate) is sent as one content chunk.
 *
 * <p>Chunks are handed over from the client's reading thread through a queue, so a slow HTTP client
 * never holds up the reader of other streams. When the client goes away (a write fails), the
 * subscription is cancelled and the handler returns at once; the request itself still completes and
 * is billed, as the broker cannot take back a provider call. While no chunk comes, a comment line
 * is written every {@code keepAlive}, which keeps proxies from closing an idle connection and
 * notices a client that left.
 */
final class ChatCompletionStream {

  /** How a stream ended. */
  enum Outcome {
    /** The whole output, the finish chunk and {@code [DONE]} were sent. */
    COMPLETED,
    /** Nothing was streamed: the result (a rejection, a failure) was answered as a JSON error. */
    ANSWERED_WITH_ERROR,
    /** The stream had started when the request failed: it ended with an error event. */
    FAILED_IN_STREAM,
    /** The client closed the connection. */
    CLIENT_GONE
  }

  /** Where the answer goes. */
  interface Responder {
    /** Answers with a JSON error for a result that did not succeed; nothing was sent before. */
    void error(InferenceResult result) throws IOException;

    /** Sends the 200 {@code text/event-stream} headers and returns the body to write events to. */
    OutputStream start() throws IOException;
  }

  private sealed interface Event {}

  private record Chunk(ResultChunk chunk) implements Event {}

  private record End() implements Event {}

  private record Failed(Throwable error) implements Event {}

  private final StreamingResponse response;
  private final ChatCompletionJson json;
  private final boolean usageChunk;
  private final Duration keepAlive;
  private final Function<Throwable, InferenceResult> noResult;

  /**
   * A stream ready to {@link #run}.
   *
   * @param response the request's chunks and result
   * @param json the completion's id, model and creation time
   * @param usageChunk send usage in an extra chunk with empty choices (OpenAI's {@code
   *     stream_options.include_usage}), else in the finish chunk
   * @param keepAlive the longest the stream stays silent before a comment line is written
   * @param noResult the result to report when the response failed without one (e.g. a timeout)
   */
  ChatCompletionStream(
      StreamingResponse response,
      ChatCompletionJson json,
      boolean usageChunk,
      Duration keepAlive,
      Function<Throwable, InferenceResult> noResult) {
    this.response = response;
    this.json = json;
    this.usageChunk = usageChunk;
    this.keepAlive = keepAlive;
    this.noResult = noResult;
  }

  /** Streams until the result, a failure or the client's departure; returns how it ended. */
  Outcome run(Responder responder) throws InterruptedException {
    BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    AtomicReference<Flow.Subscription> subscription = new AtomicReference<>();
    response.chunks().subscribe(new QueueingSubscriber(events, subscription));
    StreamedText text = new StreamedText();
    SseOutput out = null;
    try {
      while (true) {
        Event event = events.poll(keepAlive.toMillis(), TimeUnit.MILLISECONDS);
        switch (event) {
          case null -> {
            if (out != null) {
              out.comment("keep-alive");
            }
          }
          case Chunk(ResultChunk chunk) -> {
            if (out == null) {
              out = start(responder);
            }
            String piece = text.accept(chunk.getAttempt(), chunk.getDelta());
            if (!piece.isEmpty()) {
              out.data(json.contentChunk(piece));
            }
          }
          case End() -> {
            InferenceResult result =
                response.result().handle((r, e) -> e == null ? r : noResult.apply(e)).join();
            return end(responder, out, text, result);
          }
          case Failed(Throwable error) -> {
            return end(responder, out, text, noResult.apply(error));
          }
        }
      }
    } catch (IOException gone) {
      return Outcome.CLIENT_GONE;
    } finally {
      Flow.Subscription s = subscription.get();
      if (s != null) {
        s.cancel();
      }
    }
  }

  private Outcome end(Responder responder, SseOutput out, StreamedText text, InferenceResult result)
      throws IOException {
    if (result.getStatus() != ResultStatus.SUCCEEDED) {
      if (out == null) {
        responder.error(result);
        return Outcome.ANSWERED_WITH_ERROR;
      }
      out.data(OpenAiErrors.body(result));
      return Outcome.FAILED_IN_STREAM;
    }
    if (out == null) {
      out = start(responder);
    }
    Optional<String> rest = text.finish(result.getOutput().getText());
    if (rest.isEmpty()) {
      out.data(
          OpenAiErrors.body(
              "server_error",
              "stream_restarted",
              "the provider failed over after part of the output was sent and the new output"
                  + " differs; retry the request"));
      return Outcome.FAILED_IN_STREAM;
    }
    if (!rest.get().isEmpty()) {
      out.data(json.contentChunk(rest.get()));
    }
    out.data(json.finishChunk(result, !usageChunk));
    if (usageChunk) {
      out.data(json.usageChunk(result));
    }
    out.done();
    return Outcome.COMPLETED;
  }

  private SseOutput start(Responder responder) throws IOException {
    SseOutput out = new SseOutput(responder.start());
    out.data(json.roleChunk());
    return out;
  }

  /** Puts everything the publisher says on the queue; takes all chunks at once. */
  private record QueueingSubscriber(
      BlockingQueue<Event> events, AtomicReference<Flow.Subscription> subscription)
      implements Flow.Subscriber<ResultChunk> {

    @Override
    public void onSubscribe(Flow.Subscription s) {
      subscription.set(s);
      s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(ResultChunk chunk) {
      events.add(new Chunk(chunk));
    }

    @Override
    public void onError(Throwable error) {
      events.add(new Failed(error));
    }

    @Override
    public void onComplete() {
      events.add(new End());
    }
  }
}
