package io.aibroker.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aibroker.client.AiBrokerClient;
import io.aibroker.records.ChatMessage;
import io.aibroker.records.InferenceRequest;
import io.aibroker.records.InferenceResult;
import io.aibroker.records.ResultStatus;
import io.aibroker.records.Task;
import io.aibroker.registry.RestSchemaRegistryClient;
import io.aibroker.registry.SchemaRegistryConfig;
import io.aibroker.schemas.RecordSerdes;
import java.awt.image.BufferedImage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard of a whole embedded platform with traffic from three tenants on two models,
 * rendered by Debian's headless Chromium: every chart shows data, and the screenshot is a picture.
 * The screenshot stays in target/dashboard/dashboard.png.
 */
class DashboardIT {

  private static final Duration WAIT = Duration.ofSeconds(120);
  private static final Duration CHROMIUM_TIMEOUT = Duration.ofMinutes(3);
  private static final Duration SCRIPT_BUDGET = Duration.ofSeconds(8);
  private static final Path OUT = Path.of("target", "dashboard");
  private static final List<String> TENANTS = List.of("acme", "globex", "initech");
  private static final List<String> CHARTS =
      List.of("throughput", "latency", "cache", "spend-tenant", "spend-model", "providers");
  private static final Pattern CARD =
      Pattern.compile("<section class=\"card[^\"]*\" data-chart=\"([a-z-]+)\"([^>]*)>");
  private static final Pattern ATTRIBUTE = Pattern.compile("data-([a-z]+)=\"([^\"]*)\"");
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dir;

  private static Platform platform;
  private static HeadlessChromium chromium;

  @BeforeAll
  static void startPlatformAndSendTraffic() throws Exception {
    // Fails (does not skip) without Chromium: the dashboard is only tested if it renders.
    chromium = new HeadlessChromium(OUT, CHROMIUM_TIMEOUT);
    Map<String, String> settings = TestPlatforms.freePorts(dir.resolve("platform"));
    settings.put("connectors.simulated.latency", "40ms");
    settings.put("connectors.simulated.jitter", "30ms");
    platform = Platform.start(TestPlatforms.config(settings), Clock.systemUTC());
    // a single-node KRaft cluster on a loaded two-core machine can take minutes to settle
    Awaitility.await().atMost(Duration.ofMinutes(4)).until(platform::ready);
    sendTraffic();
    // The sampler reads the registry every second; wait until it has seen every tenant's spend.
    Awaitility.await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(500))
        .until(
            () -> {
              JsonNode data = data();
              return data.at("/spend/byTenant").size() == TENANTS.size()
                  && data.at("/cache/hits").asDouble() > 0
                  && !data.at("/providers").isEmpty();
            });
  }

  @AfterAll
  static void stopPlatform() {
    if (platform != null) {
      platform.close();
    }
  }

  /**
   * Waves a second apart, so the time series have a shape: per tenant and wave, new chat questions
   * (misses), one question asked every wave (a hit after the first) and an embedding.
   */
  private static void sendTraffic() throws Exception {
    RecordSerdes serdes =
        new RecordSerdes(
            new RestSchemaRegistryClient(SchemaRegistryConfig.of(platform.schemaRegistryUrl())));
    try (AiBrokerClient client =
        AiBrokerClient.builder(Map.of("bootstrap.servers", platform.bootstrapServers()), serdes)
            .build()) {
      List<CompletableFuture<InferenceResult>> results = new ArrayList<>();
      for (int wave = 0; wave < 6; wave++) {
        for (int t = 0; t < TENANTS.size(); t++) {
          String tenant = TENANTS.get(t);
          for (int i = 0; i < 2 + 2 * (TENANTS.size() - t); i++) {
            results.add(client.submit(chat(tenant, "wave " + wave + " question " + i)));
          }
          results.add(client.submit(chat(tenant, "What does aibroker do?")));
          results.add(client.submit(embed(tenant, "wave " + wave + " text")));
        }
        // settle the wave so the repeated question is a cache hit (not coalesced) next time
        CompletableFuture.allOf(results.toArray(CompletableFuture[]::new))
            .get(WAIT.toSeconds(), TimeUnit.SECONDS);
        Thread.sleep(1000);
      }
      for (CompletableFuture<InferenceResult> result : results) {
        assertThat(result.get().getStatus()).isEqualTo(ResultStatus.SUCCEEDED);
      }
    }
  }

  private static InferenceRequest.Builder request(String tenant, Task task) {
    return InferenceRequest.newBuilder()
        .setRequestId(UUID.randomUUID().toString())
        .setTenantId(tenant)
        .setTask(task)
        .setCreatedAt(Instant.now());
  }

  private static InferenceRequest chat(String tenant, String text) {
    return request(tenant, Task.CHAT)
        .setModel("chat-default")
        .setMessages(List.of(new ChatMessage("user", text, null)))
        .build();
  }

  private static InferenceRequest embed(String tenant, String text) {
    return request(tenant, Task.EMBED).setModel("embed-default").setInputs(List.of(text)).build();
  }

  private static JsonNode data() throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(platform.httpUrl() + "/dashboard/data")).build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    return JSON.readTree(response.body());
  }

  /** Each chart card's data attributes (points, labels, ...), by chart name. */
  private static Map<String, Map<String, String>> cards(String dom) {
    Map<String, Map<String, String>> cards = new LinkedHashMap<>();
    Matcher card = CARD.matcher(dom);
    while (card.find()) {
      Map<String, String> attributes = new LinkedHashMap<>();
      Matcher attribute = ATTRIBUTE.matcher(card.group(2));
      while (attribute.find()) {
        attributes.put(attribute.group(1), attribute.group(2));
      }
      cards.put(card.group(1), attributes);
    }
    return cards;
  }

  @Test
  void everyChartShowsDataInHeadlessChromium() throws Exception {
    String dom = chromium.dumpDom(platform.httpUrl() + "/dashboard", SCRIPT_BUDGET);
    Files.writeString(OUT.resolve("dashboard-dom.html"), dom);

    assertThat(dom).contains("data-state=\"ready\"");
    Map<String, Map<String, String>> cards = cards(dom);
    assertThat(cards.keySet()).containsExactlyInAnyOrderElementsOf(CHARTS);
    for (String chart : CHARTS) {
      assertThat(Integer.parseInt(cards.get(chart).get("points")))
          .as("data points of the %s chart", chart)
          .isPositive();
    }
    assertThat(cards.get("spend-tenant").get("labels").split(","))
        .containsExactlyInAnyOrderElementsOf(TENANTS);
    assertThat(cards.get("spend-model").get("labels").split(","))
        .containsExactlyInAnyOrder("chat-default", "embed-default");
    // hits and misses at least: two segments of the doughnut
    assertThat(Integer.parseInt(cards.get("cache").get("points"))).isGreaterThanOrEqualTo(2);
    assertThat(cards.get("providers").get("deployments")).isEqualTo("1");
  }

  @Test
  void theScreenshotFromTheRootUrlIsAColourfulPictureOfTheCharts() throws Exception {
    Path png = OUT.resolve("dashboard.png");

    chromium.screenshot(platform.httpUrl() + "/", SCRIPT_BUDGET, png);

    assertThat(png).exists();
    BufferedImage image = ImageIO.read(png.toFile());
    assertThat(image).as("a PNG ImageIO can decode").isNotNull();
    assertThat(image.getWidth()).isEqualTo(1400);
    assertThat(image.getHeight()).isEqualTo(1800);
    Set<Integer> colours = new HashSet<>();
    int[] pixels =
        image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
    for (int rgb : pixels) {
      colours.add(rgb & 0xF0F0F0); // 4 bits a channel: anti-aliasing alone adds few
    }
    assertThat(colours.size()).as("distinct colours").isGreaterThan(200);
    // the charts' own colours are drawn: the throughput line, the doughnut's hits, the bars
    assertThat(share(pixels, 0x2563eb)).as("throughput blue").isPositive();
    assertThat(share(pixels, 0x16a34a)).as("cache-hit green").isGreaterThan(0.0005);
    assertThat(share(pixels, 0x6366f1)).as("spend bars").isGreaterThan(0.0005);
  }

  /** Share of pixels within a small distance of {@code rgb}. */
  private static double share(int[] pixels, int rgb) {
    long near =
        Arrays.stream(pixels)
            .filter(
                p ->
                    Math.abs(((p >> 16) & 0xFF) - ((rgb >> 16) & 0xFF))
                            + Math.abs(((p >> 8) & 0xFF) - ((rgb >> 8) & 0xFF))
                            + Math.abs((p & 0xFF) - (rgb & 0xFF))
                        < 24)
            .count();
    return (double) near / pixels.length;
  }
}
