package io.aibroker.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aibroker.app.cli.CliCluster.Run;
import io.aibroker.records.OverLimitAction;
import io.aibroker.records.TenantPolicy;
import io.aibroker.topics.Topics;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code aibroker tenants set|get|list|delete} against a real Kafka and Schema Registry. */
class TenantsCommandIT {

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  @TempDir static Path dir;
  static CliCluster cluster;

  @BeforeAll
  static void start() throws Exception {
    cluster = CliCluster.start(dir);
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  private static Run tenants(String... args) {
    String[] full = new String[args.length + 1];
    full[0] = "tenants";
    System.arraycopy(args, 0, full, 1, args.length);
    return cluster.run(full);
  }

  private static JsonNode ok(Run run) throws Exception {
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out().strip().lines()).hasSize(1);
    return JSON.readTree(run.out());
  }

  private static Map<String, TenantPolicy> topic() {
    return new TopicSnapshot(
            Map.of("bootstrap.servers", cluster.bootstrapServers()), Duration.ofSeconds(10))
        .latestByKey(Topics.defaults().tenants(), cluster.serdes().tenants().deserializer());
  }

  @Test
  void setCreatesAPolicyWritesItKeyedByTenantAndPrintsIt() throws Exception {
    JsonNode policy =
        ok(
            tenants(
                "set",
                "acme",
                "--rpm",
                "600",
                "--tpm",
                "200000",
                "--max-concurrent",
                "50",
                "--daily-budget-usd",
                "25",
                "--monthly-budget-usd",
                "500.50",
                "--over-limit",
                "queue",
                "--allowed-models",
                "chat-default,embed-default",
                "--cache-ttl",
                "1h",
                "--cache-shared"));

    assertThat(policy.get("tenantId").asText()).isEqualTo("acme");
    assertThat(policy.get("requestsPerMinute").asInt()).isEqualTo(600);
    assertThat(policy.get("tokensPerMinute").asLong()).isEqualTo(200_000);
    assertThat(policy.get("maxConcurrent").asInt()).isEqualTo(50);
    assertThat(policy.get("dailyBudgetUsd").decimalValue()).isEqualByComparingTo("25");
    assertThat(policy.get("monthlyBudgetUsd").decimalValue()).isEqualByComparingTo("500.5");
    assertThat(policy.get("overLimit").asText()).isEqualTo("QUEUE");
    assertThat(policy.get("allowedModels"))
        .extracting(JsonNode::asText)
        .containsExactly("chat-default", "embed-default");
    assertThat(policy.at("/cache/defaultTtlSeconds").asInt()).isEqualTo(3600);
    assertThat(policy.at("/cache/shared").asBoolean()).isTrue();
    assertThat(policy.get("updatedAt").asText()).endsWith("Z");

    TenantPolicy written = topic().get("acme");
    assertThat(written.getRequestsPerMinute()).isEqualTo(600);
    assertThat(written.getOverLimit()).isEqualTo(OverLimitAction.QUEUE);
    assertThat(written.getDailyBudgetUsd()).isEqualByComparingTo(new BigDecimal("25"));
  }

  @Test
  void printsBudgetsInPlainDecimalNotation() {
    Run run = tenants("set", "plain-money", "--daily-budget-usd", "25");

    assertThat(run.out()).contains("\"dailyBudgetUsd\":25,").doesNotContain("E+");
  }

  @Test
  void setAgainChangesOnlyTheGivenSettings() throws Exception {
    ok(tenants("set", "merge", "--rpm", "100", "--daily-budget-usd", "5", "--cache-ttl", "10m"));

    JsonNode policy = ok(tenants("set", "merge", "--tpm", "1000", "--no-cache-shared"));

    assertThat(policy.get("requestsPerMinute").asInt()).isEqualTo(100);
    assertThat(policy.get("dailyBudgetUsd").decimalValue()).isEqualByComparingTo("5");
    assertThat(policy.get("tokensPerMinute").asLong()).isEqualTo(1000);
    assertThat(policy.at("/cache/defaultTtlSeconds").asInt()).isEqualTo(600);
    assertThat(topic().get("merge").getTokensPerMinute()).isEqualTo(1000L);
  }

  @Test
  void clearResetsSettingsToTheDefaults() throws Exception {
    ok(tenants("set", "clear-me", "--rpm", "100", "--tpm", "5", "--over-limit", "queue"));

    JsonNode policy = ok(tenants("set", "clear-me", "--clear", "rpm,over-limit"));

    assertThat(policy.has("requestsPerMinute")).isFalse();
    assertThat(policy.get("tokensPerMinute").asLong()).isEqualTo(5);
    assertThat(policy.get("overLimit").asText()).isEqualTo("REJECT");
    assertThat(topic().get("clear-me").getRequestsPerMinute()).isNull();
  }

  @Test
  void getPrintsTheCurrentPolicyAsJson() throws Exception {
    ok(tenants("set", "getter", "--rpm", "7"));
    ok(tenants("set", "getter", "--rpm", "8"));

    JsonNode policy = ok(tenants("get", "getter"));

    assertThat(policy.get("tenantId").asText()).isEqualTo("getter");
    assertThat(policy.get("requestsPerMinute").asInt()).isEqualTo(8);
  }

  @Test
  void getOfAnUnknownTenantExitsTwoWithAMessage() {
    Run run = tenants("get", "nobody");

    assertThat(run.exitCode()).isEqualTo(TenantsCommand.EXIT_UNKNOWN_TENANT);
    assertThat(run.out()).isEmpty();
    assertThat(run.err().strip())
        .isEqualTo(
            "aibroker: tenant nobody has no policy (its requests use the configured defaults)");
  }

  @Test
  void listPrintsEveryTenantAsAnAlignedTable() {
    tenants("set", "list-a", "--rpm", "1", "--daily-budget-usd", "2.5");
    tenants("set", "list-b", "--allowed-models", "chat-default");

    Run run = tenants("list");

    assertThat(run.exitCode()).as(run.err()).isZero();
    List<String> lines = run.out().lines().toList();
    assertThat(lines.get(0)).startsWith("TENANT").contains("RPM", "DAILY USD", "UPDATED (UTC)");
    String a = lines.stream().filter(l -> l.startsWith("list-a ")).findFirst().orElseThrow();
    String b = lines.stream().filter(l -> l.startsWith("list-b ")).findFirst().orElseThrow();
    assertThat(a.split(" {2,}")).contains("1", "2.5", "REJECT", "(all)");
    assertThat(b.split(" {2,}")).contains("chat-default");
    // Aligned: the columns after the tenant id start at the same place on every line.
    assertThat(a.indexOf("REJECT")).isEqualTo(b.indexOf("REJECT"));
    assertThat(lines).extracting(l -> l.split(" ")[0]).isSorted();
  }

  @Test
  void listAsJsonPrintsOneArrayOfPolicies() throws Exception {
    tenants("set", "json-a", "--rpm", "1");
    tenants("set", "json-b", "--rpm", "2");

    JsonNode array = ok(tenants("list", "--format", "json"));

    assertThat(array.isArray()).isTrue();
    assertThat(array.findValuesAsText("tenantId")).contains("json-a", "json-b");
  }

  @Test
  void deleteWritesATombstoneSoTheTenantIsGone() throws Exception {
    ok(tenants("set", "doomed", "--rpm", "1"));

    Run deleted = tenants("delete", "doomed");

    assertThat(deleted.exitCode()).as(deleted.err()).isZero();
    assertThat(deleted.out()).contains("deleted the policy of tenant doomed");
    assertThat(tenants("get", "doomed").exitCode()).isEqualTo(2);
    assertThat(tenants("list").out()).doesNotContain("doomed");
    assertThat(topic()).doesNotContainKey("doomed");
    assertThat(tenants("delete", "doomed").exitCode()).isEqualTo(2);
  }

  @Test
  void badInputExitsOneWithAOneLineMessageAndWritesNothing() {
    assertUsageError(tenants("set", "bad id", "--rpm", "1"), "tenant id 'bad id' may only contain");
    assertUsageError(
        tenants("set", "bad-input", "--rpm", "-1"), "--rpm must be a positive whole number");
    assertUsageError(
        tenants("set", "bad-input", "--daily-budget-usd", "lots"),
        "'lots' is not an amount of USD");
    assertUsageError(
        tenants("set", "bad-input", "--over-limit", "maybe"),
        "'maybe' is not one of reject, queue");
    assertUsageError(
        tenants("set", "bad-input", "--clear", "rpm,speed"), "'speed' is not a tenant setting");
    assertUsageError(
        tenants("set", "bad-input", "--rpm", "3", "--clear", "rpm"), "contradict each other");
    assertUsageError(tenants("get", "x y"), "tenant id 'x y' may only contain");

    assertThat(topic()).doesNotContainKey("bad-input");
  }

  private static void assertUsageError(Run run, String message) {
    assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
    assertThat(run.out()).isEmpty();
    assertThat(run.err().lines().findFirst().orElseThrow())
        .startsWith("aibroker: ")
        .contains(message);
    assertThat(run.err()).doesNotContain("\tat ");
  }

  @Test
  void failsClearlyWithoutCreatingTheTopicWhenItDoesNotExist() throws Exception {
    Path config = Files.writeString(dir.resolve("other-prefix.yaml"), "topics:\n  prefix: other\n");

    Run run = tenants("set", "acme", "--rpm", "1", "--config", config.toString());

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err().strip())
        .startsWith("aibroker: topic other.tenants does not exist")
        .doesNotContain("\n");
    assertThat(cluster.topicNames()).doesNotContain("other.tenants");
  }
}
