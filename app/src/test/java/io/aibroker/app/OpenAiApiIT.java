package io.aibroker.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aibroker.app.config.ConfigLoader;
import io.aibroker.app.http.ApiKeys;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The OpenAI-compatible HTTP API in front of a real embedded platform. */
class OpenAiApiIT {

  private static final String KEY = "sk-test-acme-0123456789";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir static Path dir;
  static Platform platform;

  @BeforeAll
  static void start() throws Exception {
    Path file = dir.resolve("api.yaml");
    Files.writeString(
        file,
        "http:\n  api-keys:\n    "
            + ApiKeys.sha256(KEY)
            + ": acme\nbroker:\n  tenant-defaults:\n    requests-per-minute: 3\n");
    var config =
        ConfigLoader.load(file, java.util.Map.of(), TestPlatforms.freePorts(dir.resolve("data")));
    platform = Platform.start(config, Clock.systemUTC());
  }

  @AfterAll
  static void stop() {
    if (platform != null) {
      platform.close();
    }
  }

  private static HttpResponse<String> post(String path, String key, String body) throws Exception {
    var request =
        HttpRequest.newBuilder(URI.create(platform.httpUrl() + path))
            .header("Authorization", "Bearer " + key)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void refusesAnUnknownKeyWith401InOpenAisErrorShape() throws Exception {
    var response =
        post("/v1/chat/completions", "sk-wrong", "{\"model\":\"chat-default\",\"messages\":[]}");

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(JSON.readTree(response.body()).at("/error/code").asText())
        .isEqualTo("invalid_api_key");
  }

  @Test
  void answersAChatCompletionAndEmbeddingsAndThen429sOverTheRpmLimit() throws Exception {
    var chat =
        post(
            "/v1/chat/completions",
            KEY,
            "{\"model\":\"chat-default\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello there\"}],\"max_tokens\":50}");
    assertThat(chat.statusCode()).as(chat.body()).isEqualTo(200);
    JsonNode completion = JSON.readTree(chat.body());
    assertThat(completion.get("object").asText()).isEqualTo("chat.completion");
    assertThat(completion.at("/choices/0/message/content").asText()).contains("Hello there");
    assertThat(completion.at("/usage/completion_tokens").asLong()).isBetween(1L, 50L);

    var embeddings =
        post("/v1/embeddings", KEY, "{\"model\":\"embed-default\",\"input\":[\"a\",\"b\"]}");
    assertThat(embeddings.statusCode()).as(embeddings.body()).isEqualTo(200);
    assertThat(JSON.readTree(embeddings.body()).at("/data/1/embedding").size()).isPositive();

    HttpResponse<String> limited = null;
    for (int i = 0; i < 3 && (limited == null || limited.statusCode() == 200); i++) {
      limited =
          post(
              "/v1/chat/completions",
              KEY,
              "{\"model\":\"chat-default\",\"messages\":[{\"role\":\"user\",\"content\":\"q"
                  + i
                  + "\"}]}");
    }
    assertThat(limited.statusCode()).isEqualTo(429);
    assertThat(limited.headers().firstValue("Retry-After")).isPresent();
    assertThat(JSON.readTree(limited.body()).at("/error/type").asText())
        .isEqualTo("rate_limit_exceeded");
  }
}
