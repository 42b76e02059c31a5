package io.aibroker.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.NotFoundException;
import com.openai.errors.RateLimitException;
import com.openai.errors.UnauthorizedException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.completions.CompletionUsage;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import com.openai.models.models.Model;
import io.aibroker.app.config.ConfigLoader;
import io.aibroker.app.http.ApiKeys;
import io.aibroker.records.TenantPolicy;
import io.aibroker.registry.RestSchemaRegistryClient;
import io.aibroker.registry.SchemaRegistryConfig;
import io.aibroker.schemas.RecordSerdes;
import io.aibroker.topics.Topics;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OpenAI-compatible HTTP API in front of a real embedded platform, called the way its users
 * call it: with the official OpenAI Java SDK (only the base URL and the key changed), and with a
 * plain HTTP client where the wire format itself is checked. Every test uses its own tenant (its
 * own API key), since each tenant may make only {@value #RPM} requests a minute.
 */
class OpenAiApiIT {

  private static final int RPM = 4;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final List<String> TENANTS =
      List.of(
          "sdk-chat",
          "sdk-embed",
          "sdk-limited",
          "sdk-stream-limited",
          "raw-stream",
          "raw-errors",
          "usage-a",
          "usage-b",
          "hang-up",
          "sdk-models",
          "sdk-models-limited",
          "sdk-details");

  @TempDir static Path dir;
  static Platform platform;

  @BeforeAll
  static void start() throws Exception {
    StringBuilder yaml = new StringBuilder("http:\n  api-keys:\n");
    for (String tenant : TENANTS) {
      yaml.append("    ")
          .append(ApiKeys.sha256(key(tenant)))
          .append(": ")
          .append(tenant)
          .append('\n');
    }
    yaml.append("broker:\n  tenant-defaults:\n    requests-per-minute: ").append(RPM).append('\n');
    Path file = dir.resolve("api.yaml");
    Files.writeString(file, yaml);
    var config = ConfigLoader.load(file, Map.of(), TestPlatforms.freePorts(dir.resolve("data")));
    platform = Platform.start(config, Clock.systemUTC());
    Awaitility.await().atMost(Duration.ofSeconds(60)).until(platform::ready);
  }

  @AfterAll
  static void stop() {
    if (platform != null) {
      platform.close();
    }
  }

  private static String key(String tenant) {
    return "sk-test-" + tenant + "-0123456789";
  }

  /** The official SDK, pointed at aibroker: only the base URL and the key differ from OpenAI's. */
  private static OpenAIClient sdk(String tenant) {
    return OpenAIOkHttpClient.builder()
        .baseUrl(platform.httpUrl() + "/v1")
        .apiKey(key(tenant))
        .maxRetries(0) // the SDK would otherwise retry 429s itself
        .timeout(Duration.ofSeconds(60))
        .build();
  }

  private static ChatCompletionCreateParams.Builder chat(String prompt) {
    return ChatCompletionCreateParams.builder()
        .model("chat-default")
        .addUserMessage(prompt)
        .maxCompletionTokens(200);
  }

  private static HttpResponse<String> post(String path, String tenant, String body)
      throws Exception {
    var request =
        HttpRequest.newBuilder(URI.create(platform.httpUrl() + path))
            .header("Authorization", "Bearer " + key(tenant))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> get(String pathAndQuery, String tenant) throws Exception {
    var request =
        HttpRequest.newBuilder(URI.create(platform.httpUrl() + pathAndQuery))
            .header("Authorization", "Bearer " + key(tenant))
            .GET()
            .build();
    return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
  }

  // ---------------------------------------------------------------- with the OpenAI SDK

  @Test
  void theSdkStreamsAChatCompletionWithUsageAndGetsTheSameTextWithoutStreaming() {
    OpenAIClient client = sdk("sdk-chat");
    try {
      String prompt = "Tell me a long story about streams, brokers and partitions";
      List<ChatCompletionChunk> chunks;
      try (StreamResponse<ChatCompletionChunk> stream =
          client.chat().completions().createStreaming(chat(prompt).build())) {
        chunks = stream.stream().toList();
      }
      ChatCompletion whole = client.chat().completions().create(chat(prompt).build());

      assertThat(chunks).hasSizeGreaterThan(3);
      assertThat(chunks.stream().map(ChatCompletionChunk::id).distinct()).hasSize(1);
      assertThat(chunks.getFirst().choices().getFirst().delta().role()).isPresent();
      List<String> pieces =
          chunks.stream()
              .flatMap(c -> c.choices().stream())
              .map(choice -> choice.delta().content().orElse(""))
              .filter(s -> !s.isEmpty())
              .toList();
      assertThat(pieces).hasSizeGreaterThan(1);
      String text = whole.choices().getFirst().message().content().orElseThrow();
      assertThat(String.join("", pieces)).isEqualTo(text).contains("Tell me a long story");
      ChatCompletionChunk last = chunks.getLast();
      assertThat(last.choices().getFirst().finishReason()).isPresent();
      CompletionUsage usage = last.usage().orElseThrow();
      assertThat(usage.completionTokens()).isPositive();
      assertThat(usage.totalTokens()).isEqualTo(usage.promptTokens() + usage.completionTokens());

      // stream_options.include_usage: OpenAI's extra last chunk with no choices carries usage.
      try (StreamResponse<ChatCompletionChunk> stream =
          client
              .chat()
              .completions()
              .createStreaming(
                  chat("Another story, please")
                      .streamOptions(
                          ChatCompletionStreamOptions.builder().includeUsage(true).build())
                      .build())) {
        List<ChatCompletionChunk> withUsage = stream.stream().toList();
        assertThat(withUsage.getLast().choices()).isEmpty();
        assertThat(withUsage.getLast().usage().orElseThrow().completionTokens()).isPositive();
        assertThat(withUsage.getLast().usage().orElseThrow().promptTokensDetails()).isPresent();
        assertThat(withUsage.getLast().usage().orElseThrow().completionTokensDetails()).isPresent();
      }
    } finally {
      client.close();
    }
  }

  @Test
  void theSdkReadsCachedAndReasoningTokenDetailsOfTheUsage() {
    OpenAIClient client = sdk("sdk-details");
    try {
      ChatCompletion whole = client.chat().completions().create(chat("Details, please").build());
      CompletionUsage usage = whole.usage().orElseThrow();

      // Present and parsed by the SDK; their values are the model's (unit-tested in
      // ChatCompletionJsonTest), parts of the prompt and completion counts.
      long cached = usage.promptTokensDetails().orElseThrow().cachedTokens().orElseThrow();
      long reasoning =
          usage.completionTokensDetails().orElseThrow().reasoningTokens().orElseThrow();
      assertThat(cached).isBetween(0L, usage.promptTokens());
      assertThat(reasoning).isBetween(0L, usage.completionTokens());
    } finally {
      client.close();
    }
  }

  @Test
  void theSdkListsAndRetrievesTheModelsAndAliasesTheTenantMayUse() {
    OpenAIClient client = sdk("sdk-models");
    try {
      List<Model> models = client.models().list().data();

      assertThat(models)
          .extracting(Model::id)
          .containsExactly("chat-batch", "chat-default", "embed-default", "default");
      assertThat(models).allSatisfy(m -> assertThat(m.ownedBy()).isEqualTo("aibroker"));
      Model chat = client.models().retrieve("chat-default");
      assertThat(chat.id()).isEqualTo("chat-default");
      assertThat(chat.created()).isPositive();
      assertThatThrownBy(() -> client.models().retrieve("no-such-model"))
          .isInstanceOf(NotFoundException.class);
    } finally {
      client.close();
    }
  }

  @Test
  void aTenantsAllowedModelsLimitTheListAsSoonAsThePolicyIsWritten() throws Exception {
    OpenAIClient client = sdk("sdk-models-limited");
    try {
      // chat-batch, chat-default, embed-default and the alias default
      assertThat(client.models().list().data()).hasSize(4);
      var serdes =
          new RecordSerdes(
              new RestSchemaRegistryClient(SchemaRegistryConfig.of(platform.schemaRegistryUrl())));
      try (var producer =
          new KafkaProducer<>(
              platform.clientProperties(), new StringSerializer(), serdes.tenants().serializer())) {
        producer
            .send(
                new ProducerRecord<>(
                    Topics.defaults().tenants(),
                    "sdk-models-limited",
                    TenantPolicy.newBuilder()
                        .setTenantId("sdk-models-limited")
                        .setAllowedModels(List.of("embed-default"))
                        .setUpdatedAt(Instant.now())
                        .build()))
            .get();
      }

      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () ->
                  assertThat(client.models().list().data())
                      .extracting(Model::id)
                      .containsExactly("embed-default"));
      assertThatThrownBy(() -> client.models().retrieve("chat-default"))
          .isInstanceOf(NotFoundException.class);
    } finally {
      client.close();
    }
  }

  @Test
  void theSdkGetsEmbeddings() {
    OpenAIClient client = sdk("sdk-embed");
    try {
      CreateEmbeddingResponse response =
          client
              .embeddings()
              .create(
                  EmbeddingCreateParams.builder()
                      .model("embed-default")
                      .input("the quick brown fox")
                      .build());

      assertThat(response.data()).hasSize(1);
      assertThat(response.data().getFirst().embedding()).hasSizeGreaterThan(8);
      assertThat(response.usage().promptTokens()).isPositive();
    } finally {
      client.close();
    }
  }

  @Test
  void theSdkRaisesUnauthorizedForAnUnknownKey() {
    OpenAIClient client =
        OpenAIOkHttpClient.builder()
            .baseUrl(platform.httpUrl() + "/v1")
            .apiKey("sk-not-a-key")
            .maxRetries(0)
            .build();
    try {
      assertThatThrownBy(() -> client.chat().completions().create(chat("hi").build()))
          .isInstanceOfSatisfying(
              UnauthorizedException.class,
              e -> {
                assertThat(e.statusCode()).isEqualTo(401);
                assertThat(e.code()).contains("invalid_api_key");
              });
    } finally {
      client.close();
    }
  }

  @Test
  void theSdkRaisesRateLimitWithRetryAfterOverTheRpmLimit() {
    OpenAIClient client = sdk("sdk-limited");
    try {
      RateLimitException limited = null;
      for (int i = 0; i <= RPM && limited == null; i++) {
        try {
          client.chat().completions().create(chat("question " + i).build());
        } catch (RateLimitException e) {
          limited = e;
        }
      }

      assertThat(limited).as("a 429 within %d requests", RPM + 1).isNotNull();
      assertThat(limited.statusCode()).isEqualTo(429);
      assertThat(limited.headers().values("Retry-After"))
          .singleElement()
          .satisfies(seconds -> assertThat(Integer.parseInt(seconds)).isBetween(1, 60));
      assertThat(limited.type()).contains("rate_limit_exceeded");
      assertThat(limited.code()).contains("quota_rpm");
    } finally {
      client.close();
    }
  }

  @Test
  void aStreamingRequestOverTheLimitIsA429BeforeAnyEventAndAnUnknownModelA404() {
    OpenAIClient client = sdk("sdk-stream-limited");
    try {
      for (int i = 0; i < RPM; i++) {
        client.chat().completions().create(chat("use up the quota " + i).build());
      }
      assertThatThrownBy(
              () -> {
                try (var stream =
                    client.chat().completions().createStreaming(chat("one too many").build())) {
                  stream.stream().toList();
                }
              })
          .isInstanceOfSatisfying(
              RateLimitException.class,
              e -> assertThat(e.headers().values("Retry-After")).hasSize(1));
    } finally {
      client.close();
    }
    OpenAIClient other = sdk("raw-errors");
    try {
      assertThatThrownBy(
              () -> {
                try (var stream =
                    other
                        .chat()
                        .completions()
                        .createStreaming(
                            ChatCompletionCreateParams.builder()
                                .model("no-such-model")
                                .addUserMessage("hi")
                                .build())) {
                  stream.stream().toList();
                }
              })
          .isInstanceOfSatisfying(
              NotFoundException.class, e -> assertThat(e.code()).contains("unknown_model"));
    } finally {
      other.close();
    }
  }

  // ---------------------------------------------------------------- on the wire

  @Test
  void theStreamIsServerSentEventsInOpenAisChunkFormatEndingWithDone() throws Exception {
    var response =
        post(
            "/v1/chat/completions",
            "raw-stream",
            "{\"model\":\"chat-default\",\"stream\":true,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"Count one two three four five\"}]}");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).contains("text/event-stream");
    String body = response.body();
    assertThat(body).endsWith("data: [DONE]\n\n");
    List<String> events = List.of(body.split("\n\n"));
    assertThat(events).allMatch(e -> e.startsWith("data: "));
    List<JsonNode> chunks = new ArrayList<>();
    for (String event : events.subList(0, events.size() - 1)) {
      chunks.add(JSON.readTree(event.substring("data: ".length())));
    }
    assertThat(chunks)
        .allMatch(c -> c.get("object").asText().equals("chat.completion.chunk"))
        .allMatch(c -> c.get("id").asText().equals(chunks.getFirst().get("id").asText()))
        .allMatch(c -> c.get("model").asText().equals("chat-default"));
    assertThat(chunks.getFirst().at("/choices/0/delta/role").asText()).isEqualTo("assistant");
    JsonNode last = chunks.getLast();
    assertThat(last.at("/choices/0/finish_reason").asText()).isEqualTo("stop");
    assertThat(last.at("/usage/completion_tokens").asLong()).isPositive();
    assertThat(chunks.subList(0, chunks.size() - 1))
        .allMatch(c -> c.at("/choices/0/finish_reason").isNull());
    String text =
        chunks.stream()
            .map(c -> c.at("/choices/0/delta/content").asText(""))
            .collect(Collectors.joining());
    assertThat(text).contains("Count one two three four five");
  }

  @Test
  void refusesAnUnknownKeyWith401AndAnUnknownPathWith404InOpenAisErrorShape() throws Exception {
    var unauthorized =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(platform.httpUrl() + "/v1/usage"))
                .header("Authorization", "Bearer sk-wrong")
                .build(),
            HttpResponse.BodyHandlers.ofString());
    var unknown = get("/v1/models/nothing", "raw-errors");

    assertThat(unauthorized.statusCode()).isEqualTo(401);
    assertThat(JSON.readTree(unauthorized.body()).at("/error/code").asText())
        .isEqualTo("invalid_api_key");
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(JSON.readTree(unknown.body()).at("/error/type").asText())
        .isEqualTo("invalid_request_error");
  }

  @Test
  void aClientThatHangsUpMidStreamLeavesNoStreamBehind() throws Exception {
    var request =
        HttpRequest.newBuilder(URI.create(platform.httpUrl() + "/v1/chat/completions"))
            .header("Authorization", "Bearer " + key("hang-up"))
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "{\"model\":\"chat-default\",\"stream\":true,"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"a long answer please\"}]}"))
            .build();
    HttpResponse<InputStream> response =
        HTTP.send(request, HttpResponse.BodyHandlers.ofInputStream());
    try (var reader =
        new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
      assertThat(reader.readLine()).startsWith("data: ");
    } // closed after the first event

    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> activeStreams() == 0);
    var next =
        post(
            "/v1/chat/completions",
            "hang-up",
            "{\"model\":\"chat-default\",\"messages\":[{\"role\":\"user\",\"content\":\"still there?\"}]}");
    assertThat(next.statusCode()).isEqualTo(200);
  }

  private static double activeStreams() throws Exception {
    String metrics =
        HTTP.send(
                HttpRequest.newBuilder(URI.create(platform.httpUrl() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    return metrics
        .lines()
        .filter(l -> l.startsWith("aibroker_http_streams_active "))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.indexOf(' ') + 1)))
        .findFirst()
        .orElseThrow();
  }

  // ---------------------------------------------------------------- GET /v1/usage

  @Test
  void usageSummarizesTheKeysTenantOnlyFromTheRollups() throws Exception {
    Map<String, Long> completionTokens = new LinkedHashMap<>();
    for (String[] call :
        new String[][] {
          {"usage-a", "bill a once"}, {"usage-a", "bill a twice"}, {"usage-b", "b"}
        }) {
      var response =
          post(
              "/v1/chat/completions",
              call[0],
              "{\"model\":\"chat-default\",\"messages\":[{\"role\":\"user\",\"content\":\""
                  + call[1]
                  + "\"}]}");
      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
      completionTokens.merge(
          call[0],
          JSON.readTree(response.body()).at("/usage/completion_tokens").asLong(),
          Long::sum);
    }

    Awaitility.await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                JSON.readTree(get("/v1/usage", "usage-a").body()).at("/totals/requests").asLong()
                    == 2);
    JsonNode a = JSON.readTree(get("/v1/usage", "usage-a").body());
    Awaitility.await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                JSON.readTree(get("/v1/usage", "usage-b").body()).at("/totals/requests").asLong()
                    == 1);
    JsonNode b = JSON.readTree(get("/v1/usage", "usage-b").body());

    assertThat(a.get("tenant").asText()).isEqualTo("usage-a");
    assertThat(a.at("/totals/output_tokens").asLong()).isEqualTo(completionTokens.get("usage-a"));
    assertThat(a.at("/totals/cost_usd").decimalValue()).isPositive();
    // Token classes are reported (as counts of whatever the model reported, 0s included).
    assertThat(a.at("/totals/cache_read_tokens").isIntegralNumber()).isTrue();
    assertThat(a.at("/totals/cache_write_tokens").isIntegralNumber()).isTrue();
    assertThat(a.at("/totals/reasoning_tokens").isIntegralNumber()).isTrue();
    assertThat(a.get("data"))
        .singleElement()
        .satisfies(
            group -> {
              assertThat(group.get("model").asText()).isEqualTo("chat-default");
              assertThat(group.get("provider").asText()).isEqualTo("simulated");
              assertThat(group.get("requests").asLong()).isEqualTo(2);
            });
    assertThat(b.at("/totals/output_tokens").asLong()).isEqualTo(completionTokens.get("usage-b"));

    JsonNode past =
        JSON.readTree(get("/v1/usage?start=2020-01-01&end=2020-01-31", "usage-a").body());
    assertThat(past.at("/totals/requests").asLong()).isZero();
    var invalid = get("/v1/usage?start=soon", "usage-a");
    assertThat(invalid.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(invalid.body()).at("/error/param").asText()).isEqualTo("start");
  }
}
