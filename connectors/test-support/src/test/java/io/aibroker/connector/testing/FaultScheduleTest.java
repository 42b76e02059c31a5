package io.aibroker.connector.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aibroker.testing.MutableClock;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FaultScheduleTest {

  private static final Instant START = Instant.parse("2030-01-01T00:00:00Z");

  /** Answers with the scenario's name and the retry hint it would send. */
  private static final class EchoServer extends FakeProviderServer {
    EchoServer() throws IOException {
      super(false);
    }

    @Override
    protected void respond(FakeScenario scenario, RecordedRequest request, FakeExchange exchange)
        throws IOException {
      exchange.sendJson(
          200,
          Map.of(
              "X-Retry-After", Long.toString(exchange.retryAfter().toMillis()),
              "X-Scheduled", Boolean.toString(exchange.scheduledRetryAfter().isPresent())),
          "\"" + scenario + "\"");
    }
  }

  private final MutableClock clock = new MutableClock(START);
  private final HttpClient client = HttpClient.newHttpClient();

  @Test
  void windowsCoverFromTheirStartUpToButNotIncludingTheirEnd() {
    FaultSchedule schedule =
        FaultSchedule.startingNow(clock)
            .window(FakeScenario.RATE_LIMITED, Duration.ofSeconds(2), Duration.ofSeconds(30));

    assertThat(schedule.at(START.plusMillis(1_999))).isEmpty();
    assertThat(schedule.at(START.plusSeconds(2)).map(FaultWindow::scenario))
        .contains(FakeScenario.RATE_LIMITED);
    assertThat(schedule.at(START.plusMillis(31_999))).isPresent();
    assertThat(schedule.at(START.plusSeconds(32))).isEmpty();
    assertThat(schedule.end()).isEqualTo(START.plusSeconds(32));
  }

  @Test
  void burstsRepeatWithGapsBetween() {
    FaultSchedule schedule =
        FaultSchedule.startingNow(clock)
            .bursts(
                FakeScenario.SERVER_ERROR,
                Duration.ofSeconds(1),
                Duration.ofSeconds(1),
                Duration.ofSeconds(3),
                3);

    StringBuilder timeline = new StringBuilder();
    for (int second = 0; second < 10; second++) {
      Optional<FaultWindow> window = schedule.at(START.plusSeconds(second).plusMillis(500));
      timeline.append(window.isPresent() ? 'X' : '.');
    }

    assertThat(timeline).hasToString(".X..X..X..");
    assertThatThrownBy(
            () ->
                schedule.bursts(
                    FakeScenario.HANG,
                    Duration.ZERO,
                    Duration.ofSeconds(2),
                    Duration.ofSeconds(1),
                    2))
        .hasMessageContaining("must not overlap");
  }

  @Test
  void serverAnswersRequestsInAWindowWithItsScenarioAndRetryHintAheadOfTheQueue() throws Exception {
    try (EchoServer server = new EchoServer()) {
      server.scenario(FakeScenario.SUCCESS);
      server.enqueue(FakeScenario.BAD_REQUEST);
      server.faults(
          FaultSchedule.startingNow(clock)
              .window(
                  FakeScenario.RATE_LIMITED,
                  Duration.ZERO,
                  Duration.ofSeconds(5),
                  Duration.ofMillis(2_500)));

      HttpResponse<String> inWindow = get(server);
      clock.set(START.plus(Duration.ofSeconds(5)));
      HttpResponse<String> queued = get(server);
      HttpResponse<String> after = get(server);

      assertThat(inWindow.body()).isEqualTo("\"RATE_LIMITED\"");
      assertThat(inWindow.headers().firstValue("X-Retry-After")).contains("2500");
      assertThat(inWindow.headers().firstValue("X-Scheduled")).contains("true");
      assertThat(queued.body()).isEqualTo("\"BAD_REQUEST\"");
      assertThat(after.body()).isEqualTo("\"SUCCESS\"");
      assertThat(after.headers().firstValue("X-Retry-After"))
          .contains(Long.toString(FakeReplies.RETRY_AFTER.toMillis()));
      assertThat(after.headers().firstValue("X-Scheduled")).contains("false");
      assertThat(server.requests())
          .extracting(RecordedRequest::receivedAt)
          .containsExactly(START, START.plusSeconds(5), START.plusSeconds(5));
    }
  }

  private HttpResponse<String> get(FakeProviderServer server) throws Exception {
    return client.send(
        HttpRequest.newBuilder(URI.create(server.baseUri() + "/")).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
