package io.aibroker.app.security;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.aibroker.app.Platform;
import io.aibroker.app.TestPlatforms;
import io.aibroker.app.config.ConfigLoader;
import io.aibroker.app.http.ApiKeys;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Secrets and prompts never reach a log line. Canary credentials are planted where operators put
 * them (an HTTP API key, a Bedrock API key from the environment-like system property, a Cloudflare
 * token and an Azure key in connector config, a SASL password among the Kafka client settings) and
 * canary prompts go through the OpenAI-compatible API to every provider, whose hostile fake answers
 * 401 and echoes the credential back in its error body. Then no line of this module's test log
 * (target/test-logs/app.log, all levels the tests log at) may contain a canary; the parent pom's
 * scan repeats the check over every module's log after the whole suite.
 */
class SecretsCanaryIT {

  @TempDir static Path dir;
  static HttpServer provider;
  static final List<String> credentialsSeen = new CopyOnWriteArrayList<>();
  static Platform platform;

  @BeforeAll
  static void start() throws Exception {
    provider = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    provider.createContext(
        "/",
        exchange -> {
          String auth = String.valueOf(exchange.getRequestHeaders().getFirst("Authorization"));
          credentialsSeen.add(auth);
          exchange.getRequestBody().readAllBytes();
          // A hostile provider: it echoes the credential (and more) into its error message.
          byte[] body =
              ("{\"message\":\"invalid credentials "
                      + auth
                      + "\",\"error\":{\"message\":\"bad key "
                      + auth
                      + "\",\"code\":\"invalid_api_key\"},\"success\":false,\"errors\":[{\"code\":10000,"
                      + "\"message\":\"Authentication error "
                      + auth
                      + "\"}]}")
                  .getBytes(UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.getResponseHeaders().add("x-amzn-ErrorType", "UnrecognizedClientException");
          exchange.sendResponseHeaders(401, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    provider.start();
    String providerUrl = "http://127.0.0.1:" + provider.getAddress().getPort();
    // Where the Bedrock connector reads AWS_BEARER_TOKEN_BEDROCK from in-process.
    System.setProperty("aws.bearerTokenBedrock", Canaries.BEDROCK_API_KEY);
    System.setProperty("aws.accessKeyId", "AKIAIOSFODNN7EXAMPLE");
    System.setProperty("aws.secretAccessKey", Canaries.AWS_SECRET_ACCESS_KEY);

    Path yaml = dir.resolve("aibroker.yaml");
    Files.writeString(
        yaml,
        """
        kafka:
          client:
            # ignored on PLAINTEXT, but part of every client's logged configuration
            sasl.jaas.config: 'org.apache.kafka.common.security.scram.ScramLoginModule required username="svc" password="%s";'
        http:
          api-keys:
            %s: canary-tenant
        workers:
          providers: [simulated, bedrock, workers-ai, azure-openai]
          retry: {max-attempts: 1, backoff-base-ms: 10, backoff-cap-ms: 10}
        connectors:
          simulated: {latency: 5ms, jitter: 0ms}
          bedrock: {region: us-east-1, endpoint-override: "%s"}
          workers-ai: {account-id: 0123456789abcdef0123456789abcdef, base-url: "%s/client/v4", api-token: "%s"}
          azure-openai: {endpoint: "https://127.0.0.1:%d", api-key: "%s"}
        models:
          - {name: chat-default, task: CHAT, max-output-tokens: 4096, routes: [{provider: simulated, deployment: local, provider-model: sim-chat-1}]}
          - {name: embed-default, task: EMBED, max-output-tokens: 1, routes: [{provider: simulated, deployment: local, provider-model: sim-embed-1}]}
          - {name: chat-bedrock, task: CHAT, max-output-tokens: 1024, routes: [{provider: bedrock, deployment: bedrock-canary, provider-model: "anthropic.claude-3-5-haiku-20241022-v1:0"}]}
          - {name: chat-workers-ai, task: CHAT, max-output-tokens: 1024, routes: [{provider: workers-ai, deployment: cloudflare-canary, provider-model: "@cf/meta/llama-3.1-8b-instruct"}]}
          - {name: chat-azure, task: CHAT, max-output-tokens: 1024, routes: [{provider: azure-openai, deployment: azure-canary, provider-model: gpt-4o-mini}]}
        """
            .formatted(
                Canaries.SASL_PASSWORD,
                ApiKeys.sha256(Canaries.HTTP_API_KEY),
                providerUrl,
                providerUrl,
                Canaries.CLOUDFLARE_TOKEN,
                provider.getAddress().getPort(),
                Canaries.AZURE_API_KEY));
    Map<String, String> settings = TestPlatforms.freePorts(dir.resolve("data"));
    settings.remove("connectors.simulated.latency");
    settings.remove("connectors.simulated.jitter");
    platform = Platform.start(ConfigLoader.load(yaml, Map.of(), settings), Clock.systemUTC());
  }

  @AfterAll
  static void stop() {
    if (platform != null) {
      platform.close();
    }
    if (provider != null) {
      provider.stop(0);
    }
    System.clearProperty("aws.bearerTokenBedrock");
    System.clearProperty("aws.accessKeyId");
    System.clearProperty("aws.secretAccessKey");
  }

  @Test
  void noCanarySecretOrPromptAppearsInAnyLogLine() throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    assertThat(chat(http, Canaries.UNKNOWN_HTTP_API_KEY, "chat-default").statusCode())
        .isEqualTo(401);
    assertThat(chat(http, Canaries.HTTP_API_KEY, "chat-default").statusCode()).isEqualTo(200);
    for (String failing : List.of("chat-bedrock", "chat-workers-ai", "chat-azure")) {
      HttpResponse<String> response = chat(http, Canaries.HTTP_API_KEY, failing);
      assertThat(response.statusCode()).as(failing + ": " + response.body()).isBetween(400, 599);
    }

    // The canaries really went through the connectors' credential code to the provider.
    assertThat(credentialsSeen)
        .anySatisfy(a -> assertThat(a).contains(Canaries.BEDROCK_API_KEY))
        .anySatisfy(a -> assertThat(a).contains(Canaries.CLOUDFLARE_TOKEN));

    Path log = Path.of("target", "test-logs", "app.log");
    assertThat(log).exists();
    List<String> leaks =
        Files.readAllLines(log, UTF_8).stream()
            .filter(line -> line.toLowerCase(java.util.Locale.ROOT).contains(Canaries.MARKER))
            .toList();
    assertThat(leaks).as("log lines with a canary in %s", log.toAbsolutePath()).isEmpty();
  }

  private static HttpResponse<String> chat(HttpClient http, String key, String model)
      throws IOException, InterruptedException {
    String body =
        """
        {"model": "%s", "messages": [{"role": "user", "content": "%s"}], "max_tokens": 16}
        """
            .formatted(model, Canaries.PROMPT);
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(platform.httpUrl() + "/v1/chat/completions"))
            .header("Authorization", "Bearer " + key)
            .header("Content-Type", "application/json")
            .timeout(Duration.ofSeconds(90))
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }
}
