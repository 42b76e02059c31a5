package io.aibroker.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PollingThreadTest {

  private static final Map<String, Object> CLIENT =
      Map.of("bootstrap.servers", "localhost:9092", "group.id", "someone-elses");

  @Test
  void readersWithoutGroupKeepKafkasFetchWaitAndReadCommitted() {
    Map<String, Object> props = PollingThread.withoutGroup(CLIENT, "earliest");

    assertThat(props)
        .doesNotContainKeys("group.id", "fetch.max.wait.ms")
        .containsEntry("isolation.level", "read_committed")
        .containsEntry("enable.auto.commit", false)
        .containsEntry("auto.offset.reset", "earliest");
  }

  @Test
  void readersAwaitingAnswersFetchWithTheShortWait() {
    Map<String, Object> props =
        PollingThread.awaitingAnswers(PollingThread.withoutGroup(CLIENT, "latest"));

    assertThat(props).containsEntry("fetch.max.wait.ms", PollingThread.ANSWER_FETCH_MAX_WAIT_MS);
  }

  @Test
  void aFetchWaitTheClientSetIsKept() {
    Map<String, Object> client = Map.of("bootstrap.servers", "b:9092", "fetch.max.wait.ms", 200);

    Map<String, Object> props =
        PollingThread.awaitingAnswers(PollingThread.withoutGroup(client, "latest"));

    assertThat(props).containsEntry("fetch.max.wait.ms", 200);
  }
}
