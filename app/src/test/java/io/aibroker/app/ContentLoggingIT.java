package io.aibroker.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.aibroker.app.config.ConfigLoader;
import io.aibroker.app.http.ApiKeys;
import io.aibroker.app.http.ContentLog;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.config.Configurator;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code logging.include-content}: prompts and outputs reach the logs (HTTP API and worker, at
 * DEBUG) only when it is on; API keys never do. Each run starts a platform, sends canary prompts
 * through the HTTP API (plain, streamed, embeddings, and once with a wrong key) and reads every log
 * line written meanwhile.
 */
class ContentLoggingIT {

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir Path dir;

  @AfterEach
  void resetLevel() {
    Configurator.setLevel(ContentLog.LOGGER, LogManager.getRootLogger().getLevel());
  }

  @ParameterizedTest(name = "include-content={0}")
  @ValueSource(booleans = {false, true})
  void contentIsLoggedOnlyWhenTurnedOnAndApiKeysNever(boolean includeContent) throws Exception {
    String key = "sk-canary-key-" + UUID.randomUUID();
    String wrongKey = "sk-canary-wrong-" + UUID.randomUUID();
    // short: the simulated model echoes the start of the prompt in its answer
    String prompt = "cnry-" + UUID.randomUUID().toString().substring(0, 8);
    String input = "cnry-in-" + UUID.randomUUID().toString().substring(0, 8);
    Path file = dir.resolve("content.yaml");
    Files.writeString(
        file,
        "http:\n  api-keys:\n    "
            + ApiKeys.sha256(key)
            + ": canary\nlogging:\n  include-content: "
            + includeContent
            + "\n");
    if (!includeContent) {
      // The level allows DEBUG: only the setting may keep content out of the logs.
      Configurator.setLevel(ContentLog.LOGGER, Level.DEBUG);
    }
    var config = ConfigLoader.load(file, Map.of(), TestPlatforms.freePorts(dir.resolve("data")));

    try (LogCapture logs = LogCapture.start();
        Platform platform = Platform.start(config, Clock.systemUTC())) {
      Awaitility.await().atMost(Duration.ofSeconds(60)).until(platform::ready);
      String chat = "{\"model\":\"chat-default\",\"messages\":[{\"role\":\"user\",\"content\":\"";
      assertThat(post(platform, key, "/v1/chat/completions", chat + prompt + " one\"}]}"))
          .isEqualTo(200);
      assertThat(
              post(
                  platform,
                  key,
                  "/v1/chat/completions",
                  "{\"stream\":true," + chat.substring(1) + prompt + " two\"}]}"))
          .isEqualTo(200);
      assertThat(
              post(
                  platform,
                  key,
                  "/v1/embeddings",
                  "{\"model\":\"embed-default\",\"input\":\"" + input + "\"}"))
          .isEqualTo(200);
      assertThat(post(platform, wrongKey, "/v1/chat/completions", chat + prompt + "\"}]}"))
          .isEqualTo(401);

      if (includeContent) {
        // The worker logs the answer before it writes the outcome, so it is there by now.
        assertThat(logs.linesContaining(prompt + " one"))
            .anyMatch(l -> l.startsWith("io.aibroker.content.http DEBUG request"))
            .anyMatch(l -> l.startsWith("io.aibroker.content.http DEBUG response"))
            .anyMatch(l -> l.startsWith("io.aibroker.content.worker DEBUG call"))
            .anyMatch(l -> l.startsWith("io.aibroker.content.worker DEBUG answer"));
        assertThat(logs.linesContaining(prompt + " two"))
            .anyMatch(l -> l.startsWith("io.aibroker.content.http DEBUG response"));
        assertThat(logs.linesContaining(input))
            .anyMatch(l -> l.startsWith("io.aibroker.content.worker DEBUG call"));
      } else {
        assertThat(logs.linesContaining(prompt)).isEmpty();
        assertThat(logs.linesContaining(input)).isEmpty();
        assertThat(logs.lines()).noneMatch(l -> l.startsWith("io.aibroker.content"));
      }
      assertThat(logs.lines()).isNotEmpty();
      assertThat(logs.linesContaining(key)).isEmpty();
      assertThat(logs.linesContaining(wrongKey)).isEmpty();
    }
  }

  private static int post(Platform platform, String key, String path, String body)
      throws Exception {
    return HTTP.send(
            HttpRequest.newBuilder(URI.create(platform.httpUrl() + path))
                .header("Authorization", "Bearer " + key)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .statusCode();
  }
}
