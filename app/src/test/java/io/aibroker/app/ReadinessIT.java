package io.aibroker.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A readiness probe sends traffic as soon as {@code /health} says 200: by then every endpoint of
 * the process must serve (the OpenAI API, the Schema Registry), not only the HTTP port.
 */
class ReadinessIT {

  @TempDir Path dir;

  @Test
  void healthIsReadyOnlyOnceTheApiAndTheRegistryServe() throws Exception {
    Map<String, String> settings = TestPlatforms.freePorts(dir);
    String http = "http://127.0.0.1:" + settings.get("http.port");
    String registry = "http://127.0.0.1:" + settings.get("schema-registry.embedded-port");
    CompletableFuture<Platform> starting =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return Platform.start(TestPlatforms.config(settings), Clock.systemUTC());
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    try (HttpClient client =
        HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()) {
      boolean sawLiveBeforeReady = false;
      long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
      while (status(client, http + "/health") != 200) {
        sawLiveBeforeReady |= status(client, http + "/health/live") == 200;
        assertThat(System.nanoTime()).as("ready within 2 minutes").isLessThan(deadline);
        Thread.sleep(20);
      }

      // the first moment /health says ready: everything answers
      int api =
          client
              .send(
                  HttpRequest.newBuilder(URI.create(http + "/v1/chat/completions"))
                      .POST(HttpRequest.BodyPublishers.ofString("{}"))
                      .header("Content-Type", "application/json")
                      .build(),
                  HttpResponse.BodyHandlers.discarding())
              .statusCode();
      assertThat(api).as("the API is mounted (no key: 401, not 404)").isEqualTo(401);
      assertThat(status(client, registry + "/subjects")).isEqualTo(200);
      assertThat(sawLiveBeforeReady).as("liveness answered while starting").isTrue();
    } finally {
      starting.join().close();
    }
  }

  private static int status(HttpClient client, String url) throws InterruptedException {
    try {
      return client
          .send(
              HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (IOException e) {
      return -1; // not listening yet
    }
  }
}
