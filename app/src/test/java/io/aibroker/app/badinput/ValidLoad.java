package io.aibroker.app.badinput;

import io.aibroker.client.AiBrokerClient;
import io.aibroker.records.ChatMessage;
import io.aibroker.records.InferenceRequest;
import io.aibroker.records.InferenceResult;
import io.aibroker.records.ResultStatus;
import io.aibroker.records.Task;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * Valid requests of one tenant through the Java client, timed: the traffic the corpus must spare.
 */
final class ValidLoad {

  /** What a run produced. */
  record Outcome(int requests, Map<ResultStatus, Integer> statuses, Duration elapsed) {

    double perSecond() {
      return requests * 1000.0 / Math.max(1, elapsed.toMillis());
    }

    int succeeded() {
      return statuses.getOrDefault(ResultStatus.SUCCEEDED, 0);
    }
  }

  private final AiBrokerClient client;
  private final String tenant;

  ValidLoad(AiBrokerClient client, String tenant) {
    this.client = client;
    this.tenant = tenant;
  }

  /** Submits {@code count} distinct chat requests and waits for all results. */
  Outcome run(int count, String label) {
    long started = System.nanoTime();
    List<CompletableFuture<InferenceResult>> futures = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      InferenceRequest request =
          InferenceRequest.newBuilder()
              .setRequestId(label + "-" + i + "-" + UUID.randomUUID())
              .setTenantId(tenant)
              .setTask(Task.CHAT)
              .setModel("chat-default")
              .setMessages(List.of(new ChatMessage("user", label + " valid request " + i, null)))
              .setCreatedAt(Instant.now())
              .build();
      futures.add(client.submit(request, Duration.ofMinutes(3)));
    }
    Map<ResultStatus, Integer> statuses = new EnumMap<>(ResultStatus.class);
    for (CompletableFuture<InferenceResult> future : futures) {
      statuses.merge(future.join().getStatus(), 1, Integer::sum);
    }
    return new Outcome(count, statuses, Duration.ofNanos(System.nanoTime() - started));
  }
}
