package io.aibroker.connector.simulated;

import static org.assertj.core.api.Assertions.assertThat;

import io.aibroker.connector.ChatMessage;
import io.aibroker.connector.ProviderCall;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CallLogTest {

  @TempDir Path dir;

  @Test
  void recordsTheStartAndEndOfEveryCallIncludingFailures() throws Exception {
    Path file = dir.resolve("calls/worker-1.log");
    SimulatedConfig config =
        SimulatedConfig.builder().latency(Duration.ZERO).callLog(file.toString()).build();
    try (var ok = new SimulatedConnector(config, Clock.systemUTC());
        var failing =
            new SimulatedConnector(config.toBuilder().failureRate(1).build(), Clock.systemUTC())) {
      ok.call(chat("r1")).toCompletableFuture().get(5, TimeUnit.SECONDS);
      ok.call(chat("r1")).toCompletableFuture().get(5, TimeUnit.SECONDS);
      failing.call(chat("r2")).toCompletableFuture().handle((r, e) -> e).get(5, TimeUnit.SECONDS);
    }

    List<CallLog.Entry> entries = CallLog.read(file);
    assertThat(entries.stream().filter(CallLog.Entry::start).map(CallLog.Entry::requestId))
        .containsExactlyInAnyOrder("r1", "r1", "r2");
    assertThat(entries.stream().filter(e -> !e.start()).map(e -> e.requestId() + ":" + e.detail()))
        .containsExactlyInAnyOrder("r1:ok", "r1:ok", "r2:error");
  }

  @Test
  void aLineCutShortByACrashIsSkipped() throws Exception {
    Path file = dir.resolve("cut.log");
    Files.writeString(file, "S\t1\tr1\tlocal\nE\t2\tr1\tok\nS\t3\tr2\tlo");
    assertThat(CallLog.read(file)).hasSize(2);

    try (var log = new CallLog(file)) {
      log.started(4, "r3", "local"); // a restarted process appending to the same file
    }
    assertThat(CallLog.read(file))
        .extracting(CallLog.Entry::requestId)
        .containsExactly("r1", "r1", "r3");
  }

  @Test
  void noLogIsWrittenWhenNoneIsConfigured() {
    assertThat(SimulatedConfig.defaults().callLog()).isNull();
    assertThat(SimulatedConfig.builder().callLog(" ").build().callLog()).isNull();
  }

  private static ProviderCall chat(String requestId) {
    return ProviderCall.chat(requestId, "t1", "sim-chat-1", List.of(ChatMessage.user("hi")));
  }
}
