package io.aibroker.connector.workersai;

import com.fasterxml.jackson.databind.JsonNode;
import io.aibroker.connector.ProviderException;
import io.aibroker.connector.ProviderResponse;
import io.aibroker.connector.TextDelta;
import io.aibroker.connector.TokenUsage;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.function.Consumer;

/**
 * Reads a streamed Workers AI reply line by line: server-sent events {@code data:
 * {"response":"Hel"}} ..., a final {@code data: {"response":"","usage":{...}}} and {@code data:
 * [DONE]}. Hands each piece of text to the caller as it arrives and completes {@link #result()}
 * when the body ends.
 *
 * <p>A body that ends without the usage frame and {@code [DONE]} failed, even if the connection
 * closed cleanly: the model did not finish, and a half reply must not pass as a whole one.
 */
final class SseReply implements Flow.Subscriber<String> {

  private static final String DONE = "[DONE]";

  private final WorkersAiErrorMapper errors;
  private final Consumer<TextDelta> onDelta;
  private final int httpStatus;
  private final Integer maxTokens;
  private final CompletableFuture<ProviderResponse> result = new CompletableFuture<>();
  private final StringBuilder text = new StringBuilder();
  private final StringBuilder data = new StringBuilder();
  private Flow.Subscription subscription;
  private boolean hasData;
  private int sequence;
  private TokenUsage usage;
  private String finishReason;
  private boolean done;

  /**
   * @param maxTokens the call's output cap, for the finish reason when the model names none; {@code
   *     null} if the call set none
   */
  SseReply(
      WorkersAiErrorMapper errors, Consumer<TextDelta> onDelta, int httpStatus, Integer maxTokens) {
    this.errors = errors;
    this.onDelta = onDelta;
    this.httpStatus = httpStatus;
    this.maxTokens = maxTokens;
  }

  /** Completes with the whole reply, or fails with why the stream did not finish. */
  CompletableFuture<ProviderResponse> result() {
    return result;
  }

  @Override
  public void onSubscribe(Flow.Subscription subscription) {
    this.subscription = subscription;
    subscription.request(Long.MAX_VALUE);
  }

  @Override
  public void onNext(String line) {
    if (result.isDone()) {
      return;
    }
    try {
      if (line.isEmpty()) {
        dispatch();
      } else if (line.startsWith("data:")) {
        // Multi-line data joins with newlines (SSE); Workers AI sends one line per event.
        if (hasData) {
          data.append('\n');
        }
        data.append(line, line.startsWith("data: ") ? 6 : 5, line.length());
        hasData = true;
      }
      // Comments (":"), "event:", "id:" and "retry:" lines carry nothing we use.
    } catch (ProviderException failure) {
      fail(failure);
    } catch (RuntimeException callbackFailure) {
      fail(callbackFailure);
    }
  }

  @Override
  public void onError(Throwable error) {
    result.completeExceptionally(error);
  }

  @Override
  public void onComplete() {
    if (result.isDone()) {
      return;
    }
    try {
      dispatch();
    } catch (RuntimeException failure) {
      fail(failure);
      return;
    }
    if (done && usage != null) {
      result.complete(
          ProviderResponse.ofText(
              text.toString(), WorkersAiJson.finishReason(finishReason, usage, maxTokens), usage));
    } else {
      result.completeExceptionally(errors.incompleteStream(httpStatus));
    }
  }

  private void dispatch() {
    if (!hasData) {
      return;
    }
    String event = data.toString();
    data.setLength(0);
    hasData = false;
    if (event.strip().equals(DONE)) {
      done = true;
      return;
    }
    JsonNode node;
    try {
      node = WorkersAiJson.parse(event);
      if (WorkersAiJson.isError(node)) {
        throw errors.fromResponse(httpStatus, null, event);
      }
      TokenUsage reported = WorkersAiJson.usage(node.path("usage"));
      if (reported != null) {
        usage = reported;
      }
    } catch (WorkersAiJson.Malformed malformed) {
      throw errors.malformed(httpStatus, "stream event: " + malformed.getMessage());
    }
    String reason = WorkersAiJson.finishReason(node);
    if (reason != null) {
      finishReason = reason;
    }
    String piece = WorkersAiJson.text(node);
    if (piece != null && !piece.isEmpty()) {
      text.append(piece);
      onDelta.accept(new TextDelta(sequence++, piece));
    }
  }

  private void fail(Throwable failure) {
    result.completeExceptionally(failure);
    if (subscription != null) {
      subscription.cancel();
    }
  }
}
