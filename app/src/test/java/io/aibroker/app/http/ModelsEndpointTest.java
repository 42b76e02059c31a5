package io.aibroker.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aibroker.broker.ModelCatalog;
import io.aibroker.broker.ModelDefinition;
import io.aibroker.broker.RouteOption;
import io.aibroker.records.Route;
import io.aibroker.records.Task;
import io.aibroker.records.TenantPolicy;
import io.aibroker.testing.MutableClock;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /v1/models} and {@code GET /v1/models/{id}} on a real server: the catalog's models and
 * aliases a key's tenant may use, in OpenAI's shape, following its policy as it changes. No broker
 * is needed: the answer comes from the configuration and the policies view.
 */
class ModelsEndpointTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ACME_KEY = "sk-test-acme-0123456789";
  private static final String GLOBEX_KEY = "sk-test-globex-0123456789";
  private static final Instant NOW = Instant.parse("2026-03-15T12:00:00Z");

  private static final ModelCatalog CATALOG =
      ModelCatalog.of(
          List.of(model("chat-default", Task.CHAT), model("embed-default", Task.EMBED)),
          Map.of("default", "chat-default", "embeddings", "embed-default"));

  private final MutableClock clock = new MutableClock(NOW);
  private final AllowedModels allowed = new AllowedModels();
  private final HttpClient http = HttpClient.newHttpClient();
  private HttpEndpoint endpoint;

  private static ModelDefinition model(String name, Task task) {
    return new ModelDefinition(
        name,
        task,
        100,
        List.of(
            new RouteOption(
                new Route("simulated", "local", "sim-" + name, "standard", null), 1, 0)));
  }

  @BeforeEach
  void start() throws Exception {
    HttpLimits limits = new HttpLimits(1 << 20, 4, Duration.ofSeconds(5));
    endpoint =
        new HttpEndpoint(
            "127.0.0.1",
            0,
            limits,
            AdminKeys.none(),
            false,
            new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    endpoint.addHandler(
        "/v1",
        new OpenAiApi(
            new ApiKeys(
                Map.of(ApiKeys.sha256(ACME_KEY), "acme", ApiKeys.sha256(GLOBEX_KEY), "globex")),
            () -> {
              throw new IllegalStateException("no broker in this test");
            },
            new UsageView(clock),
            ModelDirectory.of(
                CATALOG, Map.of("default", "chat-default", "embeddings", "embed-default")),
            allowed,
            new ContentLog(false),
            clock,
            limits));
    endpoint.start();
  }

  @AfterEach
  void stop() {
    endpoint.close();
  }

  private HttpResponse<String> get(String path, String key) throws Exception {
    var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + endpoint.port() + path));
    if (key != null) {
      request.header("Authorization", "Bearer " + key);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private List<String> ids(String key) throws Exception {
    HttpResponse<String> response = get("/v1/models", key);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    List<String> ids = new ArrayList<>();
    JSON.readTree(response.body()).get("data").forEach(m -> ids.add(m.get("id").asText()));
    return ids;
  }

  private static TenantPolicy allowing(String tenant, String... models) {
    return TenantPolicy.newBuilder()
        .setTenantId(tenant)
        .setAllowedModels(List.of(models))
        .setUpdatedAt(NOW)
        .build();
  }

  @Test
  void aTenantWithoutAPolicyGetsEveryModelThenEveryAliasInOpenAisListShape() throws Exception {
    allowed.markCaughtUp();

    HttpResponse<String> response = get("/v1/models", ACME_KEY);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
    JsonNode body = JSON.readTree(response.body());
    assertThat(body.get("object").asText()).isEqualTo("list");
    assertThat(ids(ACME_KEY))
        .containsExactly("chat-default", "embed-default", "default", "embeddings");
    JsonNode first = body.get("data").get(0);
    assertThat(first.get("object").asText()).isEqualTo("model");
    assertThat(first.get("owned_by").asText()).isEqualTo("aibroker");
    assertThat(first.get("created").asLong()).isEqualTo(NOW.getEpochSecond());
  }

  @Test
  void aTenantWithAllowedModelsGetsThemAndTheAliasesOfThemOnly() throws Exception {
    allowed.apply("acme", allowing("acme", "chat-default"));
    allowed.markCaughtUp();

    assertThat(ids(ACME_KEY)).containsExactly("chat-default", "default");
    assertThat(ids(GLOBEX_KEY)).hasSize(4);
  }

  @Test
  void aTenantAllowedAnAliasOnlyGetsThatAliasAsTheBrokerWouldServeIt() throws Exception {
    allowed.apply("acme", allowing("acme", "embeddings"));
    allowed.markCaughtUp();

    assertThat(ids(ACME_KEY)).containsExactly("embeddings");
  }

  @Test
  void aPolicyChangeOrDeletionShowsAtOnce() throws Exception {
    allowed.markCaughtUp();
    allowed.apply("acme", allowing("acme", "embed-default"));
    assertThat(ids(ACME_KEY)).containsExactly("embed-default", "embeddings");

    allowed.apply("acme", null);

    assertThat(ids(ACME_KEY)).hasSize(4);
  }

  @Test
  void retrievingAnAllowedModelOrAliasAnswersTheModelObject() throws Exception {
    allowed.markCaughtUp();

    for (String id : List.of("chat-default", "default")) {
      HttpResponse<String> response = get("/v1/models/" + id, ACME_KEY);

      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
      JsonNode model = JSON.readTree(response.body());
      assertThat(model.get("id").asText()).isEqualTo(id);
      assertThat(model.get("object").asText()).isEqualTo("model");
      assertThat(model.get("owned_by").asText()).isEqualTo("aibroker");
    }
  }

  @Test
  void anUnknownOrNotAllowedModelIsA404InOpenAisErrorShape() throws Exception {
    allowed.apply("acme", allowing("acme", "chat-default"));
    allowed.markCaughtUp();

    for (String id : List.of("no-such-model", "embed-default", "embeddings")) {
      HttpResponse<String> response = get("/v1/models/" + id, ACME_KEY);

      assertThat(response.statusCode()).as(id).isEqualTo(404);
      JsonNode error = JSON.readTree(response.body()).get("error");
      assertThat(error.get("type").asText()).isEqualTo("invalid_request_error");
      assertThat(error.get("code").asText()).isEqualTo("model_not_found");
      assertThat(error.get("param").asText()).isEqualTo("model");
      assertThat(error.get("message").asText()).contains(id);
    }
    assertThat(get("/v1/models/embed-default", GLOBEX_KEY).statusCode()).isEqualTo(200);
  }

  @Test
  void aLongUnknownIdIsNotEchoedWhole() throws Exception {
    allowed.markCaughtUp();
    String id = "x".repeat(1_000);

    HttpResponse<String> response = get("/v1/models/" + id, ACME_KEY);

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(JSON.readTree(response.body()).at("/error/message").asText())
        .hasSizeLessThan(ModelsJson.MAX_SHOWN_ID + 100);
  }

  @Test
  void modelsNeedAnApiKey() throws Exception {
    allowed.markCaughtUp();

    assertThat(get("/v1/models", null).statusCode()).isEqualTo(401);
    assertThat(get("/v1/models/chat-default", "sk-wrong").statusCode()).isEqualTo(401);
  }

  @Test
  void modelsAre503WithRetryAfterUntilThePoliciesAreRead() throws Exception {
    HttpResponse<String> response = get("/v1/models", ACME_KEY);

    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.headers().firstValue("Retry-After")).hasValue("1");
    assertThat(JSON.readTree(response.body()).at("/error/code").asText())
        .isEqualTo("models_catching_up");
  }

  @Test
  void onlyGetIsAllowed() throws Exception {
    allowed.markCaughtUp();
    var response =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + endpoint.port() + "/v1/models"))
                .header("Authorization", "Bearer " + ACME_KEY)
                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(405);
  }
}
