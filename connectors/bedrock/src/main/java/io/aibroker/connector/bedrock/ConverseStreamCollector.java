package io.aibroker.connector.bedrock;

import io.aibroker.connector.ProviderResponse;
import io.aibroker.connector.ProviderServerException;
import io.aibroker.connector.TextDelta;
import io.aibroker.connector.TokenUsage;
import java.util.Objects;
import java.util.function.Consumer;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlockDeltaEvent;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamMetadataEvent;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamResponseHandler;
import software.amazon.awssdk.services.bedrockruntime.model.MessageStopEvent;

/**
 * Follows one ConverseStream: hands each text delta on as it arrives and collects the text, stop
 * reason and usage. A stream only counts as complete with both {@code messageStop} and {@code
 * metadata} (which carries the usage): a connection cut mid-stream can look like a clean end to the
 * SDK, and must not become a success with the reply or the bill missing.
 *
 * <p>The SDK delivers events one at a time, in order; the lock makes the collected state visible to
 * whichever thread completes the call.
 */
final class ConverseStreamCollector {

  private final Consumer<TextDelta> onDelta;
  private final StringBuilder text = new StringBuilder();
  private int sequence;
  private String stopReason;
  private boolean stopped;
  private TokenUsage usage;
  private String serviceTier;
  private RuntimeException consumerFailure;

  ConverseStreamCollector(Consumer<TextDelta> onDelta) {
    this.onDelta = Objects.requireNonNull(onDelta, "onDelta");
  }

  /** The SDK handler feeding this collector. */
  ConverseStreamResponseHandler handler() {
    return ConverseStreamResponseHandler.builder()
        .subscriber(
            ConverseStreamResponseHandler.Visitor.builder()
                .onContentBlockDelta(this::delta)
                .onMessageStop(this::stop)
                .onMetadata(this::metadata)
                .build())
        .build();
  }

  /**
   * The whole response, once the SDK reports the stream finished.
   *
   * @throws ProviderServerException (retryable) if the stream ended early
   * @throws RuntimeException what {@code onDelta} threw, if it did
   */
  synchronized ProviderResponse result() {
    if (consumerFailure != null) {
      throw consumerFailure;
    }
    if (!stopped || usage == null) {
      throw new ProviderServerException(
          BedrockErrorMapper.PROVIDER,
          "ConverseStream ended without "
              + (stopped ? "" : "messageStop")
              + (!stopped && usage == null ? " and " : "")
              + (usage == null ? "metadata (usage)" : "")
              + " after "
              + sequence
              + " deltas");
    }
    return ProviderResponse.ofText(text.toString(), ConverseMapping.finishReason(stopReason), usage)
        .withServiceTier(serviceTier);
  }

  private void delta(ContentBlockDeltaEvent event) {
    if (event.delta() == null || event.delta().text() == null) {
      return; // reasoning and tool-use deltas are not reply text
    }
    String piece = event.delta().text();
    TextDelta delta;
    synchronized (this) {
      text.append(piece);
      delta = new TextDelta(sequence++, piece);
    }
    // Outside the lock: the SDK calls us one event at a time, so order holds without it.
    try {
      onDelta.accept(delta);
    } catch (RuntimeException e) {
      // Remembered so the call fails with it; rethrown so the SDK stops the stream.
      synchronized (this) {
        consumerFailure = e;
      }
      throw e;
    }
  }

  private synchronized void stop(MessageStopEvent event) {
    stopped = true;
    stopReason = event.stopReasonAsString();
  }

  private synchronized void metadata(ConverseStreamMetadataEvent event) {
    if (event.usage() != null) {
      usage = ConverseMapping.usage(event.usage());
    }
    serviceTier = ConverseMapping.servedTier(event.serviceTier());
  }
}
