package io.aibroker.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code aibroker submit --file --out}: OpenAI Batch input in, OpenAI Batch output out. */
class BatchSubmitIT {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dataDir;
  @TempDir Path work;
  static CliPlatform platform;

  @BeforeAll
  static void start() throws Exception {
    platform = CliPlatform.start(dataDir);
  }

  @AfterAll
  static void stop() {
    if (platform != null) {
      platform.close();
    }
  }

  private static String chat(String id, String model, String prompt) {
    return "{\"custom_id\":\""
        + id
        + "\",\"method\":\"POST\",\"url\":\"/v1/chat/completions\",\"body\":{\"model\":\""
        + model
        + "\",\"messages\":[{\"role\":\"system\",\"content\":\"Be brief.\"},"
        + "{\"role\":\"user\",\"content\":\""
        + prompt
        + "\"}],\"max_tokens\":50,\"temperature\":0.2}}";
  }

  private static String embed(String id) {
    return "{\"custom_id\":\""
        + id
        + "\",\"method\":\"POST\",\"url\":\"/v1/embeddings\","
        + "\"body\":{\"model\":\"embed-default\",\"input\":[\"one\",\"two\"]}}";
  }

  @Test
  void everyLineGetsOneOutputLineWithTheRightStatus() throws Exception {
    List<String> lines = new ArrayList<>();
    for (int i = 1; i <= 15; i++) {
      lines.add(chat("c-" + i, "chat-default", "question " + i));
    }
    lines.add(embed("e-1"));
    lines.add(embed("e-2"));
    lines.add(chat("unknown-model", "no-such-model", "hi"));
    lines.add(
        "{\"custom_id\":\"bad-url\",\"method\":\"POST\",\"url\":\"/v1/completions\","
            + "\"body\":{\"model\":\"chat-default\",\"prompt\":\"hi\"}}");
    lines.add(
        "{\"custom_id\":\"no-messages\",\"method\":\"POST\",\"url\":\"/v1/chat/completions\","
            + "\"body\":{\"model\":\"chat-default\"}}");
    Path in = Files.write(work.resolve("requests.jsonl"), lines);
    Path out = work.resolve("results.jsonl");

    var run =
        platform.run(
            "submit",
            "--file",
            in.toString(),
            "--out",
            out.toString(),
            "--tenant",
            "batcher",
            "--concurrency",
            "4",
            "--progress");

    assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
    assertThat(run.err()).contains("20/20").contains("req/s").contains("ETA");
    List<String> output = Files.readAllLines(out);
    assertThat(output).hasSize(20);
    Map<String, JsonNode> byId = new LinkedHashMap<>();
    for (String line : output) {
      JsonNode node = JSON.readTree(line);
      byId.put(node.get("custom_id").asText(), node);
    }
    assertThat(byId).hasSize(20);

    for (int i = 1; i <= 15; i++) {
      JsonNode line = byId.get("c-" + i);
      assertThat(line.at("/response/status_code").asInt()).as(line.toString()).isEqualTo(200);
      assertThat(line.get("error").isNull()).isTrue();
      assertThat(line.get("id").asText()).startsWith("batch_req_batch-");
      assertThat(line.at("/response/body/object").asText()).isEqualTo("chat.completion");
      assertThat(line.at("/response/body/choices/0/message/content").asText()).isNotEmpty();
      assertThat(line.at("/response/body/usage/total_tokens").asLong()).isPositive();
    }
    for (String id : List.of("e-1", "e-2")) {
      JsonNode line = byId.get(id);
      assertThat(line.at("/response/status_code").asInt()).as(line.toString()).isEqualTo(200);
      assertThat(line.at("/response/body/object").asText()).isEqualTo("list");
      assertThat(line.at("/response/body/data")).hasSize(2);
      assertThat(line.at("/response/body/data/0/embedding").size()).isPositive();
    }
    JsonNode unknown = byId.get("unknown-model");
    assertThat(unknown.at("/response/status_code").asInt()).isEqualTo(404);
    assertThat(unknown.at("/error/code").asText()).isEqualTo("UNKNOWN_MODEL");
    assertThat(unknown.at("/response/body/error/code").asText()).isEqualTo("UNKNOWN_MODEL");
    for (String id : List.of("bad-url", "no-messages")) {
      JsonNode line = byId.get(id);
      assertThat(line.get("response").isNull()).isTrue();
      assertThat(line.at("/error/code").asText()).isEqualTo("invalid_request");
      assertThat(line.at("/error/message").asText()).isNotEmpty();
    }
  }

  @Test
  void aThousandLineFileRoundTripsWithEveryCustomIdOnceInTheOutput() throws Exception {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      // Every tenth line repeats an earlier prompt, so cache hits are part of the round trip.
      int question = i % 10 == 9 ? i - 1 : i;
      lines.add(
          i % 50 == 0 ? embed("line-" + i) : chat("line-" + i, "chat-default", "q" + question));
    }
    Path in = Files.write(work.resolve("thousand.jsonl"), lines);
    Path out = work.resolve("thousand-results.jsonl");

    var run =
        platform.run(
            "submit",
            "--file",
            in.toString(),
            "--out",
            out.toString(),
            "--tenant",
            "batcher-1000",
            "--concurrency",
            "200");

    assertThat(run.exitCode()).as(run.err()).isZero();
    List<String> output = Files.readAllLines(out);
    assertThat(output).hasSize(1_000);
    Map<String, Integer> seen = new LinkedHashMap<>();
    for (String line : output) {
      JsonNode node = JSON.readTree(line);
      seen.merge(node.get("custom_id").asText(), 1, Integer::sum);
      assertThat(node.at("/response/status_code").asInt()).as(line).isEqualTo(200);
    }
    assertThat(seen).hasSize(1_000).allSatisfy((id, count) -> assertThat(count).isEqualTo(1));
    for (int i = 0; i < 1_000; i++) {
      assertThat(seen).containsKey("line-" + i);
    }
  }

  @Test
  void exitsZeroWhenEveryLineSucceedsAndWritesToStandardOutputWithoutOut() throws Exception {
    Path in =
        Files.write(
            work.resolve("ok.jsonl"),
            List.of(chat("a", "chat-default", "hi"), "", chat("b", "chat-default", "there")));

    var run = platform.run("submit", "--file", in.toString(), "--tenant", "batcher-ok");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out().strip().lines()).hasSize(2);
    assertThat(run.err()).doesNotContain("req/s"); // not a terminal, no --progress
  }

  @Test
  void usageErrorsExitOne() {
    assertThat(platform.run("submit", "--tenant", "t").exitCode()).isEqualTo(1);
    var missing =
        platform.run("submit", "--tenant", "t", "--file", work.resolve("nope").toString());
    assertThat(missing.exitCode()).isEqualTo(1);
    assertThat(missing.err()).contains("cannot read");
  }
}
