package io.aibroker.workers;

import static org.assertj.core.api.Assertions.assertThat;

import io.aibroker.connector.Connector;
import io.aibroker.connector.ProviderCall;
import io.aibroker.connector.ProviderErrorMapper;
import io.aibroker.connector.ProviderResponse;
import io.aibroker.records.ProviderOutcome;
import io.aibroker.records.Route;
import io.aibroker.topics.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * A provider whose calls stall (a hang, a long 429 storm) holds only its own consumers: records of
 * the worker's other providers, such as the fallback routes the broker fails over to, keep flowing.
 */
class ProviderIsolationIT extends KafkaItSupport {

  /** Takes calls and never answers them (until the worker's call timeout, far away here). */
  static final class StalledConnector implements Connector {
    final AtomicInteger calls = new AtomicInteger();

    @Override
    public String provider() {
      return "stalled";
    }

    @Override
    public CompletionStage<ProviderResponse> call(ProviderCall call) {
      calls.incrementAndGet();
      return new CompletableFuture<>();
    }

    @Override
    public ProviderErrorMapper errorMapper() {
      return ProviderErrorMapper.fallback("stalled");
    }
  }

  @Test
  void recordsOfAHealthyProviderFlowWhileAnotherProvidersCallsStall() throws Exception {
    Topics topics = topics("isolation", "stalled", "simulated");
    shareGroup("isolation-workers", 0);
    StalledConnector stalled = new StalledConnector();
    WorkerConfig config =
        WorkerConfig.builder(
                topics, "isolation-workers", "worker-1", List.of("stalled", "simulated"))
            .consumers(1)
            .maxPollRecords(50)
            .callTimeout(Duration.ofMinutes(5))
            .drainTimeout(Duration.ofSeconds(1))
            .build();
    Worker worker =
        closeAfter(
            new Worker(
                config,
                Map.of("stalled", stalled, "simulated", WorkerIT.simulated(Duration.ofMillis(5))),
                serdes,
                client(),
                Clock.systemUTC(),
                new SimpleMeterRegistry()));
    worker.start();
    Route stalledRoute = new Route("stalled", "stuck", "m", "standard", null);
    dispatch(
        topics,
        "stalled",
        IntStream.range(0, 3)
            .mapToObj(i -> Dispatches.chat("stuck-" + i, "t", stalledRoute))
            .toList());
    Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> stalled.calls.get() > 0);

    dispatch(topics, "simulated", WorkerIT.chats("flowing-", 20, false));
    var outcomes = tail(topics.outcomes(), serdes.outcomes().deserializer());
    List<ProviderOutcome> read =
        outcomes.until(r -> r.size() >= 20, Duration.ofSeconds(30)).stream()
            .map(ConsumerRecord::value)
            .toList();

    assertThat(read)
        .as("every healthy record answered while the stalled calls are still open")
        .hasSize(20)
        .allSatisfy(o -> assertThat(o.getSuccess()).isTrue());
    assertThat(stalled.calls.get()).isBetween(1, 3);
  }
}
