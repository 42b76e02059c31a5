package io.aibroker.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.aibroker.app.config.AppConfig;
import io.aibroker.app.config.ConfigLoader;
import io.aibroker.broker.BrokerMetrics;
import io.aibroker.connector.ConnectorMetrics;
import io.aibroker.workers.WorkerMetrics;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Docker cannot run on the build machines, so this test reads docker-compose.yml and the files it
 * mounts (deploy/**) and checks them against the app: every app service runs a real subcommand with
 * real options, every AIBROKER_* variable names a setting (or a Kafka client property) and loads,
 * ports are valid, not taken twice on the host and published on 127.0.0.1 only, dependencies exist,
 * Prometheus scrapes compose services on the app's HTTP port, and every metric the Grafana
 * dashboard queries is one the app exports. Security: Kafka speaks SASL on every listener but the
 * loopback-bound controller one and authorizes with ACLs, every Kafka client (the app services, the
 * registry, topic-init) logs in with SCRAM as a principal that exists from the first start and has
 * the ACLs it needs, the app services run tenants on their own topics only, and no secret is
 * written in the file: each is a required {@code ${VAR:?message}} of .env, listed in
 * deploy/compose.env.example. The checks read the file as compose would after interpolation (each
 * variable a dummy value), and as written where the interpolation itself matters. Each check
 * collects problems as strings; the negative tests prove that a broken file is caught.
 */
class ComposeFileTest {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Meters recorded with publishPercentileHistogram(), the only ones with {@code _bucket}. */
  private static final Set<String> HISTOGRAMS =
      Set.of(BrokerMetrics.LATENCY, WorkerMetrics.OPERATION_DURATION);

  private static final Pattern METRIC_NAME =
      Pattern.compile("\\b((?:aibroker|gen_ai)_[a-zA-Z0-9_]+)\\b");

  /** What a required variable stands for in the checks: a valid password and a SHA-256 hex. */
  private static final String DUMMY = "0123456789abcdef".repeat(4);

  /** {@code $$}, a braced or a bare variable: what compose interpolates in a value. */
  private static final Pattern DOLLAR = Pattern.compile("\\$\\$|\\$\\{[^}]*\\}|\\$");

  /** The only interpolation the file may use: a variable of .env that must be set. */
  private static final Pattern REQUIRED = Pattern.compile("\\$\\{([A-Z_][A-Z0-9_]*):\\?[^}]+\\}");

  /**
   * {@code password=} or {@code PASSWORD: } followed by anything but a variable (optionally quoted,
   * or escaped for a shell): a password written into the file.
   */
  private static final Pattern PASSWORD_LITERAL =
      Pattern.compile("(?i)password[\"']?[ \\t]*(?:=|:(?=\\s))\\s*+(?!\\\\?[\"']?\\$)");

  /** A SCRAM JAAS configuration whose password is a required variable. */
  private static final Pattern SCRAM_JAAS =
      Pattern.compile(
          "org\\.apache\\.kafka\\.common\\.security\\.scram\\.ScramLoginModule required"
              + " username=\"([^\"]+)\" password=\"("
              + REQUIRED.pattern()
              + ")\";");

  private static final String STANDARD_AUTHORIZER =
      "org.apache.kafka.metadata.authorizer.StandardAuthorizer";
  private static final String SCRAM = "SCRAM-SHA-512";
  private static final Set<String> LOOPBACK = Set.of("127.0.0.1", "localhost", "[::1]");
  private static final Pattern LISTENER =
      Pattern.compile("([A-Za-z0-9_]+)://(\\[[^\\]]*\\]|[^:/]*):(\\d+)");

  private static Path root;

  /** The compose file as compose runs it: interpolated, each variable a dummy value. */
  private static JsonNode compose;

  /** The compose file as written. */
  private static JsonNode raw;

  private static String text;

  @BeforeAll
  static void load() throws IOException {
    Path here = Path.of("").toAbsolutePath();
    root = Files.exists(here.resolve("docker-compose.yml")) ? here : here.getParent();
    text = Files.readString(root.resolve("docker-compose.yml"));
    raw = YAML.readTree(text);
    compose = interpolated(raw);
  }

  // ---------------------------------------------------------------- the real file

  @Test
  void deploysKafkaRegistryTopicInitTwoBrokersTwoWorkersPrometheusAndGrafana() {
    assertThat(serviceNames(compose))
        .contains("kafka", "schema-registry", "topic-init", "prometheus", "grafana");
    Map<String, String> subcommands = new LinkedHashMap<>();
    appServices(compose).forEach((name, svc) -> subcommands.put(name, String.join(" ", args(svc))));
    assertThat(subcommands.values()).filteredOn(c -> c.startsWith("broker")).hasSize(2);
    assertThat(subcommands.values()).filteredOn(c -> c.startsWith("worker")).hasSize(2);
    assertThat(compose.at("/services/kafka/image").asText()).startsWith("apache/kafka:");
    assertThat(compose.at("/services/schema-registry/image").asText())
        .startsWith("confluentinc/cp-schema-registry:");
  }

  @Test
  void appServicesUseRealSubcommandsAndOptions() {
    assertThat(appServices(compose)).hasSizeGreaterThanOrEqualTo(4);
    assertThat(commandProblems(compose)).isEmpty();
  }

  @Test
  void everyAibrokerVariableIsASettingAndTheConfigurationLoads() {
    assertThat(environmentProblems(compose)).isEmpty();
    appServices(compose)
        .forEach(
            (name, svc) -> {
              AppConfig config = ConfigLoader.load(null, environment(svc));
              assertThat(config.kafka().bootstrapServers()).as(name).isNotBlank();
              assertThat(config.schemaRegistry().url()).as(name).isNotBlank();
              assertThat(config.http().host()).as(name).isEqualTo("0.0.0.0");
            });
  }

  @Test
  void portsAreValidAndNotDuplicatedOnTheHost() {
    assertThat(portProblems(compose)).isEmpty();
  }

  @Test
  void dependenciesAndVolumesExist() {
    assertThat(dependencyProblems(compose)).isEmpty();
    assertThat(volumeProblems(compose)).isEmpty();
  }

  @Test
  void topicInitCreatesEveryTopicAndPreparesTheShareGroup() {
    String script = args(compose.at("/services/topic-init")).toString();
    var topics = new io.aibroker.topics.Topics("aibroker");
    for (String topic : topics.all(List.of("simulated"))) {
      assertThat(script).as("topic-init creates %s", topic).contains(topic);
    }
    // Compacted topics (the price catalog among them) are created in the compacting loop: a
    // delete-policy prices topic would lose the catalog's versions with retention.
    Matcher compactLoop =
        Pattern.compile("for t in ([^;]*); do\\s*create \"\\$t\" --config cleanup.policy=compact")
            .matcher(String.join("\n", args(compose.at("/services/topic-init"))));
    assertThat(compactLoop.find()).as("topic-init has a loop creating compacted topics").isTrue();
    List<String> compactedByInit =
        List.of(compactLoop.group(1).replace("\\", " ").trim().split("\\s+"));
    assertThat(compactedByInit)
        .containsExactlyInAnyOrderElementsOf(topics.compacted())
        .contains(topics.prices());
    assertThat(script)
        .contains("--partitions 6", "cleanup.policy=compact")
        // usage reports must not shrink with the cluster's default retention
        .contains(
            "create aibroker.usage.rollups --config retention.ms="
                + io.aibroker.app.TopicProvisioner.USAGE_ROLLUPS_RETENTION.toMillis())
        .contains("--entity-type groups --entity-name aibroker-workers")
        .contains("share.auto.offset.reset=earliest")
        // dispatches of aborted broker transactions must never reach a provider
        .contains("share.isolation.level=read_committed")
        // month-to-date and yearly usage reports read roll-ups up to 400 days old
        .contains("create aibroker.usage.rollups --config retention.ms=34560000000")
        .contains(
            "--entity-type topics --entity-name aibroker.usage.rollups",
            "--add-config retention.ms=34560000000");
  }

  @Test
  void prometheusScrapesEveryAppServiceOnItsHttpPort() throws IOException {
    JsonNode prometheus = YAML.readTree(mountedFile(compose, "prometheus", "prometheus.yml"));
    assertThat(scrapeProblems(compose, prometheus)).isEmpty();
  }

  @Test
  void dashboardQueriesOnlyMetricsTheAppExports() throws IOException {
    JsonNode dashboard = JSON.readTree(dashboardFile().toFile());
    assertThat(exportedMetricNames())
        .contains(
            "aibroker_broker_requests_total",
            "aibroker_broker_latency_seconds_bucket",
            "aibroker_broker_spend_usd_total",
            "aibroker_broker_cache_total",
            "aibroker_worker_circuit_state",
            "aibroker_connector_call_seconds_count");
    List<String> exprs = expressions(dashboard);
    assertThat(exprs).hasSizeGreaterThanOrEqualTo(6);
    assertThat(String.join("\n", exprs))
        .contains(
            "aibroker_broker_requests_total",
            "aibroker_broker_latency_seconds_bucket",
            "aibroker_broker_spend_usd_total",
            "aibroker_broker_cache_total",
            "aibroker_worker_circuit_state");
    assertThat(dashboardProblems(dashboard)).isEmpty();
  }

  @Test
  void dashboardUsesTheProvisionedDatasource() throws IOException {
    Path provisioning = grafanaMount("/etc/grafana/provisioning");
    JsonNode datasources =
        YAML.readTree(provisioning.resolve("datasources/prometheus.yml").toFile());
    String uid = datasources.at("/datasources/0/uid").asText();
    assertThat(datasources.at("/datasources/0/url").asText()).isEqualTo("http://prometheus:9090");
    JsonNode providers = YAML.readTree(provisioning.resolve("dashboards/aibroker.yml").toFile());
    assertThat(providers.at("/providers/0/options/path").asText())
        .isEqualTo("/var/lib/grafana/dashboards");
    JsonNode dashboard = JSON.readTree(dashboardFile().toFile());
    List<String> uids = new ArrayList<>();
    dashboard.findValues("datasource").forEach(ds -> uids.add(ds.path("uid").asText()));
    assertThat(uids).isNotEmpty().containsOnly(uid);
  }

  @Test
  void dockerfileRunsMain() throws IOException {
    String dockerfile = Files.readString(root.resolve("deploy/Dockerfile"));
    assertThat(dockerfile)
        .contains("FROM eclipse-temurin:21-jdk AS build", "FROM eclipse-temurin:21-jre")
        .contains("./mvnw")
        .contains(
            "\"-cp\", \"app/target/aibroker-app.jar:app/target/lib/*\", \""
                + Main.class.getName()
                + "\"");
  }

  // ---------------------------------------------------------------- the real file: security

  @Test
  void everyPublishedPortIsOnTheHostsLoopbackOnly() {
    assertThat(compose.at("/services/kafka/ports").toString()).contains("127.0.0.1:9092:9092");
    assertThat(publishedPortProblems(compose)).isEmpty();
  }

  @Test
  void kafkaSpeaksSaslOnEveryListenerButTheLoopbackControllerAndAuthorizesWithAcls() {
    Map<String, String> kafka = environment(compose.at("/services/kafka"));
    assertThat(listenerProblems(kafka)).isEmpty();
    assertThat(authorizerProblems(kafka)).isEmpty();
    assertThat(kafka)
        .containsEntry("KAFKA_AUTHORIZER_CLASS_NAME", STANDARD_AUTHORIZER)
        .containsEntry("KAFKA_ALLOW_EVERYONE_IF_NO_ACL_FOUND", "false");
  }

  @Test
  void kafkaStartsWithItsScramUsersAndEveryClientLogsInAsOne() throws IOException {
    assertThat(compose.at("/services/kafka/entrypoint").toString()).contains("run.sh");
    assertThat(credentialProblems(raw, Files.readString(root.resolve("deploy/kafka/run.sh"))))
        .isEmpty();
  }

  @Test
  void appServicesLogInWithSaslAndServeTenantsOnTheirOwnTopicsOnly() {
    assertThat(clientSecurityProblems(compose, raw)).isEmpty();
    appServices(compose)
        .forEach(
            (name, svc) -> {
              AppConfig config = ConfigLoader.load(null, environment(svc));
              assertThat(config.kafka().client())
                  .as(name)
                  .containsEntry("security.protocol", "SASL_PLAINTEXT")
                  .containsEntry("sasl.mechanism", SCRAM)
                  .containsKey("sasl.jaas.config");
              assertThat(config.broker().ingress().sharedTopic()).as(name).isFalse();
              assertThat(config.broker().unknownTenants()).as(name).isEqualTo("reject");
              assertThat(config.broker().limits().replyToTenantTopicOnly()).as(name).isTrue();
              assertThat(config.http().adminKeys()).as(name).containsExactly(DUMMY);
              // Prometheus scrapes without a key, over the compose network only
              assertThat(config.http().metricsPublic()).as(name).isTrue();
            });
  }

  @Test
  void topicInitLogsInAsAdminAndGrantsEachServicePrincipalWhatItUses() {
    assertThat(aclProblems(compose)).isEmpty();
  }

  @Test
  void noSecretIsWrittenInTheFileAndEveryVariableIsInTheEnvExample() throws IOException {
    assertThat(passwordLiteralProblems(text)).isEmpty();
    assertThat(interpolationProblems(raw)).isEmpty();
    assertThat(raw.at("/services/grafana/environment/GF_SECURITY_ADMIN_PASSWORD").asText())
        .matches(REQUIRED);
    Map<String, String> example = envExample();
    assertThat(example.keySet()).isEqualTo(requiredVariables(raw));
    // empty: compose refuses to start until each is filled in
    assertThat(example.values()).containsOnly("");
    assertThat(Files.readAllLines(root.resolve(".gitignore"))).contains(".env");
    assertThat(Files.readAllLines(root.resolve("deploy/Dockerfile.dockerignore"))).contains(".env");
  }

  // ---------------------------------------------------------------- the checks can fail

  @Test
  void aTypoedVariableIsCaught() {
    ObjectNode broken = compose.deepCopy();
    ((ObjectNode) broken.at("/services/broker-1/environment"))
        .put("AIBROKER_KAFKA_BOOTSTRAP_SERVER", "kafka:19092");
    assertThat(environmentProblems(broken))
        .singleElement()
        .asString()
        .contains("AIBROKER_KAFKA_BOOTSTRAP_SERVER");
  }

  @Test
  void aValueOfTheWrongTypeIsCaught() {
    ObjectNode broken = compose.deepCopy();
    ((ObjectNode) broken.at("/services/worker-1/environment"))
        .put("AIBROKER_WORKERS_CONSUMERS", "eight");
    assertThat(environmentProblems(broken)).singleElement().asString().contains("worker-1");
  }

  @Test
  void anUnknownOptionOrSubcommandIsCaught() {
    ObjectNode broken = compose.deepCopy();
    ((ObjectNode) broken.at("/services/broker-1"))
        .set("command", YAML.createArrayNode().add("broker").add("--no-workers"));
    ((ObjectNode) broken.at("/services/worker-2")).set("command", new TextNode("serve"));
    assertThat(commandProblems(broken)).hasSize(2);
  }

  @Test
  void aDuplicateHostPortAndAMissingDependencyAreCaught() {
    ObjectNode broken = compose.deepCopy();
    ((ObjectNode) broken.at("/services/broker-2")).set("ports", portList("8080:8080"));
    ((ObjectNode) broken.at("/services/grafana/depends_on")).putObject("prometeus");
    assertThat(portProblems(broken)).singleElement().asString().contains("8080");
    assertThat(dependencyProblems(broken)).singleElement().asString().contains("prometeus");
  }

  @Test
  void aScrapeTargetThatIsNoServiceIsCaught() throws IOException {
    JsonNode prometheus =
        YAML.readTree(
            "scrape_configs:\n"
                + "  - job_name: x\n"
                + "    static_configs:\n"
                + "      - targets: [\"broker-3:8080\", \"worker-1:9999\"]\n");
    assertThat(scrapeProblems(compose, prometheus)).hasSize(2);
  }

  @Test
  void anUnknownMetricIsCaught() throws IOException {
    JsonNode dashboard =
        JSON.readTree(
            "{\"panels\":[{\"targets\":["
                + "{\"expr\":\"rate(aibroker_broker_request_total[1m])\"},"
                + "{\"expr\":\"histogram_quantile(0.9, rate(aibroker_connector_call_seconds_bucket[1m]))\"},"
                + "{\"expr\":\"up\"}]}]}");
    assertThat(dashboardProblems(dashboard)).hasSize(3);
  }

  @Test
  void aPortPublishedOnEveryInterfaceIsCaught() {
    ObjectNode broken = compose.deepCopy();
    ((ObjectNode) broken.at("/services/broker-2")).set("ports", portList("8180:8080"));
    ((ObjectNode) broken.at("/services/grafana")).set("ports", portList("0.0.0.0:3000:3000"));
    assertThat(publishedPortProblems(broken))
        .hasSize(2)
        .anyMatch(p -> p.startsWith("broker-2"))
        .anyMatch(p -> p.startsWith("grafana"));
  }

  @Test
  void aPlaintextListenerIsCaught() {
    Map<String, String> kafka = new HashMap<>(environment(compose.at("/services/kafka")));
    kafka.put(
        "KAFKA_LISTENER_SECURITY_PROTOCOL_MAP",
        "INTERNAL:SASL_PLAINTEXT,EXTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT");
    assertThat(listenerProblems(kafka)).isNotEmpty().allMatch(p -> p.contains("EXTERNAL"));

    kafka = new HashMap<>(environment(compose.at("/services/kafka")));
    kafka.put("KAFKA_LISTENERS", "INTERNAL://:19092,EXTERNAL://:9092,CONTROLLER://:9093");
    assertThat(listenerProblems(kafka)).singleElement().asString().contains("CONTROLLER");
  }

  @Test
  void anAuthorizerThatAllowsWithoutAclsIsCaught() {
    Map<String, String> kafka = new HashMap<>(environment(compose.at("/services/kafka")));
    kafka.put("KAFKA_ALLOW_EVERYONE_IF_NO_ACL_FOUND", "true");
    kafka.remove("KAFKA_AUTHORIZER_CLASS_NAME");
    kafka.put("KAFKA_SUPER_USERS", "User:admin;User:ANONYMOUS;User:aibroker");
    assertThat(authorizerProblems(kafka)).hasSize(3);
  }

  @Test
  void anAppServiceWithoutSaslOrServingTheSharedTopicIsCaught() {
    ObjectNode broken = compose.deepCopy();
    ObjectNode brokenRaw = raw.deepCopy();
    for (ObjectNode tree : List.of(broken, brokenRaw)) {
      ((ObjectNode) tree.at("/services/worker-1/environment"))
          .remove("AIBROKER_KAFKA_CLIENT_SASL_JAAS_CONFIG");
      ((ObjectNode) tree.at("/services/broker-2/environment"))
          .put("AIBROKER_BROKER_INGRESS_SHARED_TOPIC", "true");
      ((ObjectNode) tree.at("/services/broker-1/environment"))
          .put("AIBROKER_BROKER_UNKNOWN_TENANTS", "defaults");
      ((ObjectNode) tree.at("/services/schema-registry/environment"))
          .put("SCHEMA_REGISTRY_KAFKASTORE_SECURITY_PROTOCOL", "PLAINTEXT");
    }
    assertThat(clientSecurityProblems(broken, brokenRaw))
        .hasSize(4)
        .anyMatch(p -> p.startsWith("worker-1") && p.contains("sasl.jaas.config"))
        .anyMatch(p -> p.startsWith("broker-2") && p.contains("shared"))
        .anyMatch(p -> p.startsWith("broker-1") && p.contains("unknown tenants"))
        .anyMatch(p -> p.startsWith("schema-registry"));
  }

  @Test
  void aPasswordInTheFileOrAVariableWithADefaultIsCaught() {
    String jaasPassword =
        "password=\"${KAFKA_AIBROKER_PASSWORD:?set KAFKA_AIBROKER_PASSWORD in .env, see"
            + " deploy/compose.env.example}\"";
    assertThat(text).contains(jaasPassword);
    String broken =
        text.replaceFirst(Pattern.quote(jaasPassword), "password=\"hunter2hunter2hunter2\"")
            .replaceFirst("GF_SECURITY_ADMIN_PASSWORD: .*", "GF_SECURITY_ADMIN_PASSWORD: admin")
            .concat("# sasl.jaas.config=... username=\"admin\" password='secret';\n");
    assertThat(passwordLiteralProblems(broken)).hasSize(3);

    ObjectNode defaulted = raw.deepCopy();
    ((ObjectNode) defaulted.at("/services/grafana/environment"))
        .put("GF_SECURITY_ADMIN_PASSWORD", "${GRAFANA_ADMIN_PASSWORD:-admin}");
    assertThat(interpolationProblems(defaulted))
        .singleElement()
        .asString()
        .contains("GRAFANA_ADMIN_PASSWORD");
  }

  @Test
  void aDollarThatComposeWouldInterpolateInTopicInitIsCaught() {
    ObjectNode broken = raw.deepCopy();
    String script = broken.at("/services/topic-init/command/0").asText();
    ((ArrayNode) broken.at("/services/topic-init/command"))
        .set(
            0,
            new TextNode(
                script.replace("--bootstrap-server \"$$bs\"", "--bootstrap-server \"$bs\"")));
    assertThat(interpolationProblems(broken)).hasSize(3).allMatch(p -> p.startsWith("topic-init"));
  }

  @Test
  void anAclThatMissesTheStreamsApplicationOrAToolWithoutCredentialsIsCaught() {
    ObjectNode broken = compose.deepCopy();
    String script = broken.at("/services/topic-init/command/0").asText();
    ((ArrayNode) broken.at("/services/topic-init/command"))
        .set(
            0,
            new TextNode(
                script
                    .replace("prefixed --group aibroker\n", "prefixed --group aibroker-workers\n")
                    .replaceFirst(
                        "kafka-acls.sh --bootstrap-server \"\\$bs\" --command-config \"\\$cfg\"",
                        "kafka-acls.sh --bootstrap-server \"\\$bs\"")));
    assertThat(aclProblems(broken))
        .hasSize(5) // the application id of each of the four app services, the tool
        .anyMatch(p -> p.contains("kafka-acls.sh") && p.contains("--command-config"))
        .anyMatch(p -> p.startsWith("broker-1") && p.contains("aibroker-broker"));
  }

  @Test
  void aServicePasswordThatKafkaDoesNotKnowIsCaught() throws IOException {
    ObjectNode broken = raw.deepCopy();
    for (String service : List.of("kafka", "topic-init")) {
      ((ObjectNode) broken.at("/services/" + service + "/environment"))
          .put("SCRAM_AIBROKER_PASSWORD", "${AIBROKER_PASSWORD:?set AIBROKER_PASSWORD}");
    }
    String runScript =
        Files.readString(root.resolve("deploy/kafka/run.sh")).replace("name=schema-registry,", "");
    assertThat(credentialProblems(broken, runScript))
        .hasSize(2)
        .anyMatch(p -> p.contains("KAFKA_AIBROKER_PASSWORD"))
        .anyMatch(p -> p.contains("schema-registry"));
  }

  @Test
  void aKafkaClientVariableThatNamesNoPropertyIsCaught() {
    ObjectNode broken = compose.deepCopy();
    ((ObjectNode) broken.at("/services/worker-2/environment"))
        .put("AIBROKER_KAFKA_CLIENT_SASL_MECHANISMS", SCRAM);
    assertThat(environmentProblems(broken))
        .singleElement()
        .asString()
        .contains("worker-2", "AIBROKER_KAFKA_CLIENT_SASL_MECHANISMS", "no Kafka client property");
  }

  // ---------------------------------------------------------------- checks

  static List<String> commandProblems(JsonNode compose) {
    List<String> problems = new ArrayList<>();
    appServices(compose)
        .forEach(
            (name, svc) -> {
              List<String> args = args(svc);
              try {
                CommandLine.ParseResult parsed =
                    new CommandLine(new Main()).parseArgs(args.toArray(String[]::new));
                if (!parsed.hasSubcommand()) {
                  problems.add(name + ": no subcommand in " + args);
                } else if (!Set.of("run", "broker", "worker")
                    .contains(parsed.subcommand().commandSpec().name())) {
                  problems.add(
                      name + ": " + parsed.subcommand().commandSpec().name() + " is no server");
                }
              } catch (CommandLine.ParameterException e) {
                problems.add(name + ": " + args + ": " + e.getMessage());
              }
            });
    return problems;
  }

  static List<String> environmentProblems(JsonNode compose) {
    Set<String> known = Set.copyOf(ConfigLoader.environmentVariables());
    List<String> problems = new ArrayList<>();
    compose
        .path("services")
        .fields()
        .forEachRemaining(
            e ->
                environment(e.getValue()).keySet().stream()
                    .filter(k -> k.startsWith(ConfigLoader.ENV_PREFIX) && !known.contains(k))
                    .forEach(
                        k -> {
                          String property;
                          try {
                            property = ConfigLoader.kafkaClientProperty(k).orElse(null);
                          } catch (IllegalArgumentException ex) {
                            problems.add(e.getKey() + ": " + ex.getMessage());
                            return;
                          }
                          if (property == null) {
                            problems.add(e.getKey() + ": " + k + " names no setting");
                          } else if (!kafkaClientConfigs().contains(property)) {
                            problems.add(e.getKey() + ": " + k + " names no Kafka client property");
                          }
                        }));
    if (!problems.isEmpty()) {
      return problems;
    }
    appServices(compose)
        .forEach(
            (name, svc) -> {
              try {
                ConfigLoader.load(null, environment(svc));
              } catch (RuntimeException e) {
                problems.add(name + ": " + e.getMessage());
              }
            });
    return problems;
  }

  static List<String> portProblems(JsonNode compose) {
    List<String> problems = new ArrayList<>();
    Map<String, String> hostPorts = new HashMap<>();
    compose
        .path("services")
        .fields()
        .forEachRemaining(
            e -> {
              for (JsonNode port : e.getValue().path("ports")) {
                String spec = port.asText().replaceFirst("/(tcp|udp)$", "");
                String[] parts = spec.split(":");
                if (parts.length < 2 || parts.length > 3) {
                  problems.add(e.getKey() + ": port " + spec + " is not [IP:]HOST:CONTAINER");
                  continue;
                }
                String host = parts[parts.length - 2];
                String container = parts[parts.length - 1];
                if (!validPort(host) || !validPort(container)) {
                  problems.add(e.getKey() + ": invalid port " + spec);
                  continue;
                }
                String other = hostPorts.putIfAbsent(host, e.getKey());
                if (other != null) {
                  problems.add(e.getKey() + ": host port " + host + " also used by " + other);
                }
                if (isApp(e.getValue())
                    && !container.equals(String.valueOf(httpPort(e.getValue())))) {
                  problems.add(
                      e.getKey() + ": container port " + container + " is not the HTTP port");
                }
              }
            });
    return problems;
  }

  static List<String> dependencyProblems(JsonNode compose) {
    List<String> problems = new ArrayList<>();
    Set<String> services = serviceNames(compose);
    compose
        .path("services")
        .fields()
        .forEachRemaining(
            e -> {
              JsonNode deps = e.getValue().path("depends_on");
              List<String> targets = new ArrayList<>();
              Map<String, String> conditions = new HashMap<>();
              if (deps.isArray()) {
                deps.forEach(d -> targets.add(d.asText()));
              } else {
                deps.fields()
                    .forEachRemaining(
                        d -> {
                          targets.add(d.getKey());
                          conditions.put(d.getKey(), d.getValue().path("condition").asText(""));
                        });
              }
              for (String target : targets) {
                if (!services.contains(target)) {
                  problems.add(e.getKey() + ": depends on unknown service " + target);
                  continue;
                }
                String condition = conditions.getOrDefault(target, "");
                if (condition.equals("service_healthy")
                    && compose.at("/services/" + target + "/healthcheck").isMissingNode()) {
                  problems.add(e.getKey() + ": waits for " + target + " to be healthy, no check");
                } else if (!condition.isEmpty()
                    && !Set.of(
                            "service_started", "service_healthy", "service_completed_successfully")
                        .contains(condition)) {
                  problems.add(e.getKey() + ": unknown condition " + condition);
                }
              }
            });
    return problems;
  }

  static List<String> volumeProblems(JsonNode compose) {
    List<String> problems = new ArrayList<>();
    Set<String> declared = new TreeSet<>();
    compose.path("volumes").fieldNames().forEachRemaining(declared::add);
    compose
        .path("services")
        .fields()
        .forEachRemaining(
            e -> {
              for (JsonNode volume : e.getValue().path("volumes")) {
                String source = volume.asText().split(":")[0];
                if (source.startsWith(".") || source.startsWith("/")) {
                  if (!Files.exists(root.resolve(source).normalize())) {
                    problems.add(e.getKey() + ": bind mount source " + source + " missing");
                  }
                } else if (!declared.contains(source)) {
                  problems.add(e.getKey() + ": volume " + source + " not declared");
                }
              }
            });
    return problems;
  }

  static List<String> scrapeProblems(JsonNode compose, JsonNode prometheus) {
    List<String> problems = new ArrayList<>();
    Map<String, JsonNode> apps = appServices(compose);
    Set<String> scraped = new TreeSet<>();
    for (JsonNode job : prometheus.path("scrape_configs")) {
      for (JsonNode group : job.path("static_configs")) {
        for (JsonNode target : group.path("targets")) {
          String[] hostPort = target.asText().split(":");
          JsonNode svc = apps.get(hostPort[0]);
          if (svc == null) {
            problems.add(target.asText() + " is no aibroker service of the compose file");
          } else if (hostPort.length != 2 || !hostPort[1].equals(String.valueOf(httpPort(svc)))) {
            problems.add(target.asText() + " is not the HTTP port of " + hostPort[0]);
          } else {
            scraped.add(hostPort[0]);
            if (!job.path("metrics_path").asText("/metrics").equals("/metrics")) {
              problems.add(job.path("job_name").asText() + ": metrics_path is not /metrics");
            }
          }
        }
      }
    }
    if (problems.isEmpty() && !scraped.equals(new TreeSet<>(apps.keySet()))) {
      problems.add("scraped " + scraped + ", app services " + apps.keySet());
    }
    return problems;
  }

  static List<String> dashboardProblems(JsonNode dashboard) {
    Set<String> exported = exportedMetricNames();
    List<String> problems = new ArrayList<>();
    for (String expr : expressions(dashboard)) {
      Matcher m = METRIC_NAME.matcher(expr);
      boolean any = false;
      while (m.find()) {
        any = true;
        if (!exported.contains(m.group(1))) {
          problems.add("unknown metric " + m.group(1) + " in " + expr);
        }
      }
      if (!any) {
        problems.add("no aibroker metric in " + expr);
      }
    }
    return problems;
  }

  static List<String> publishedPortProblems(JsonNode compose) {
    List<String> problems = new ArrayList<>();
    compose
        .path("services")
        .fields()
        .forEachRemaining(
            e -> {
              for (JsonNode port : e.getValue().path("ports")) {
                boolean loopback =
                    port.isObject()
                        ? port.path("host_ip").asText().equals("127.0.0.1")
                        : port.asText().startsWith("127.0.0.1:")
                            && port.asText().split(":").length == 3;
                if (!loopback) {
                  problems.add(e.getKey() + ": " + port + " is published beyond 127.0.0.1");
                }
              }
            });
    return problems;
  }

  /**
   * Every listener Kafka opens speaks SASL, except a controller listener bound to the loopback
   * (then only the combined node itself reaches it, and its ANONYMOUS principal may be a super
   * user); clients are only ever told of SASL listeners.
   */
  static List<String> listenerProblems(Map<String, String> kafka) {
    List<String> problems = new ArrayList<>();
    Map<String, String> protocols = new HashMap<>();
    for (String entry : kafka.getOrDefault("KAFKA_LISTENER_SECURITY_PROTOCOL_MAP", "").split(",")) {
      String[] kv = entry.trim().split(":", 2);
      protocols.put(kv[0], kv.length > 1 ? kv[1] : "");
    }
    Set<String> controllers = new TreeSet<>();
    for (String name : kafka.getOrDefault("KAFKA_CONTROLLER_LISTENER_NAMES", "").split(",")) {
      controllers.add(name.trim());
    }
    boolean loopbackController = false;
    String listeners = kafka.getOrDefault("KAFKA_LISTENERS", "");
    if (listeners.isBlank()) {
      problems.add("KAFKA_LISTENERS is not set");
    }
    for (String listener : listeners.split(",")) {
      Matcher m = LISTENER.matcher(listener.trim());
      if (!m.matches()) {
        problems.add("listener " + listener + " is not NAME://HOST:PORT");
        continue;
      }
      String name = m.group(1);
      String host = m.group(2);
      String protocol = protocols.getOrDefault(name, name);
      if (protocol.startsWith("SASL_")) {
        continue;
      }
      if (controllers.contains(name) && LOOPBACK.contains(host)) {
        loopbackController = true;
        continue;
      }
      problems.add(
          "listener "
              + name
              + " speaks "
              + protocol
              + " on "
              + (host.isEmpty() ? "every interface" : host)
              + ": only a loopback-bound controller listener may go without SASL");
    }
    for (String listener : kafka.getOrDefault("KAFKA_ADVERTISED_LISTENERS", "").split(",")) {
      Matcher m = LISTENER.matcher(listener.trim());
      if (m.matches() && !protocols.getOrDefault(m.group(1), m.group(1)).startsWith("SASL_")) {
        problems.add("advertised listener " + m.group(1) + " is not SASL");
      }
    }
    String interBroker = kafka.getOrDefault("KAFKA_INTER_BROKER_LISTENER_NAME", "");
    if (!protocols.getOrDefault(interBroker, interBroker).startsWith("SASL_")) {
      problems.add("the inter-broker listener " + interBroker + " is not SASL");
    }
    if (!SCRAM.equals(kafka.get("KAFKA_SASL_ENABLED_MECHANISMS"))
        || !SCRAM.equals(kafka.get("KAFKA_SASL_MECHANISM_INTER_BROKER_PROTOCOL"))) {
      problems.add("SASL mechanisms are not " + SCRAM + " only");
    }
    if (loopbackController) {
      for (String voter : kafka.getOrDefault("KAFKA_CONTROLLER_QUORUM_VOTERS", "").split(",")) {
        String host = voter.replaceFirst("^\\d+@", "").replaceFirst(":\\d+$", "");
        if (!LOOPBACK.contains(host)) {
          problems.add("voter " + voter + " is not on the loopback the controller listens on");
        }
      }
    }
    return problems;
  }

  static List<String> authorizerProblems(Map<String, String> kafka) {
    List<String> problems = new ArrayList<>();
    if (!STANDARD_AUTHORIZER.equals(kafka.get("KAFKA_AUTHORIZER_CLASS_NAME"))) {
      problems.add("KAFKA_AUTHORIZER_CLASS_NAME is not " + STANDARD_AUTHORIZER);
    }
    if (!"false".equals(kafka.get("KAFKA_ALLOW_EVERYONE_IF_NO_ACL_FOUND"))) {
      problems.add("KAFKA_ALLOW_EVERYONE_IF_NO_ACL_FOUND is not false");
    }
    for (String user : kafka.getOrDefault("KAFKA_SUPER_USERS", "").split(";")) {
      if (!Set.of("User:admin", "User:ANONYMOUS").contains(user.trim())) {
        problems.add("super user " + user + " is neither admin nor the controller's ANONYMOUS");
      }
    }
    return problems;
  }

  /**
   * The app services' Kafka clients use SASL/SCRAM with a password from .env and serve tenants on
   * their own topics only; the Schema Registry's store logs in the same way.
   */
  static List<String> clientSecurityProblems(JsonNode compose, JsonNode raw) {
    List<String> problems = new ArrayList<>();
    appServices(compose)
        .forEach(
            (name, svc) -> {
              AppConfig config;
              try {
                config = ConfigLoader.load(null, environment(svc));
              } catch (RuntimeException e) {
                return; // environmentProblems reports it
              }
              Map<String, Object> client = config.kafka().client();
              if (!String.valueOf(client.get("security.protocol")).startsWith("SASL_")) {
                problems.add(name + ": security.protocol is " + client.get("security.protocol"));
              }
              if (!SCRAM.equals(client.get("sasl.mechanism"))) {
                problems.add(name + ": sasl.mechanism is " + client.get("sasl.mechanism"));
              }
              String jaas =
                  environment(raw.at("/services/" + name))
                      .getOrDefault("AIBROKER_KAFKA_CLIENT_SASL_JAAS_CONFIG", "");
              if (!SCRAM_JAAS.matcher(jaas).matches()) {
                problems.add(
                    name
                        + ": sasl.jaas.config is not a SCRAM login whose password is a required"
                        + " variable");
              }
              if (config.broker().ingress().sharedTopic()) {
                problems.add(name + ": reads the shared requests topic (records name any tenant)");
              }
              if (!"reject".equals(config.broker().unknownTenants())) {
                problems.add(name + ": serves unknown tenants");
              }
              if (!config.broker().limits().replyToTenantTopicOnly()) {
                problems.add(name + ": replies to topics other than the tenant's own");
              }
              if (config.http().adminKeys().isEmpty()) {
                problems.add(name + ": no admin keys guard /dashboard");
              }
            });
    if (!compose.at("/services/schema-registry").isMissingNode()) {
      Map<String, String> env = environment(compose.at("/services/schema-registry"));
      Map<String, String> rawEnv = environment(raw.at("/services/schema-registry"));
      String prefix = "SCHEMA_REGISTRY_KAFKASTORE_";
      boolean plaintextBootstrap =
          java.util.Arrays.stream(env.getOrDefault(prefix + "BOOTSTRAP_SERVERS", "").split(","))
              .anyMatch(b -> b.trim().startsWith("PLAINTEXT://"));
      if (!env.getOrDefault(prefix + "SECURITY_PROTOCOL", "").startsWith("SASL_")
          || !SCRAM.equals(env.get(prefix + "SASL_MECHANISM"))
          || !SCRAM_JAAS.matcher(rawEnv.getOrDefault(prefix + "SASL_JAAS_CONFIG", "")).matches()
          || plaintextBootstrap) {
        problems.add("schema-registry: its store does not log in with SASL/" + SCRAM);
      }
    }
    return problems;
  }

  /**
   * Each principal a client logs in as (a JAAS configuration of the file) is created by
   * deploy/kafka/run.sh when it formats Kafka's log directory, with the password variable the
   * client uses, and topic-init sets its password from the same variable.
   */
  static List<String> credentialProblems(JsonNode raw, String runScript) {
    List<String> problems = new ArrayList<>();
    Map<String, String> kafka = environment(raw.at("/services/kafka"));
    Map<String, String> init = environment(raw.at("/services/topic-init"));
    String initScript = String.join("\n", args(raw.at("/services/topic-init")));
    kafka.forEach(
        (key, value) -> {
          if (key.matches("SCRAM_[A-Z_]+_PASSWORD")) {
            if (!REQUIRED.matcher(value).matches()) {
              problems.add("kafka: " + key + " is not a required variable");
            }
            if (!value.equals(init.get(key))) {
              problems.add("topic-init: " + key + " is not kafka's " + value);
            }
          }
        });
    Map<String, String> logins = new java.util.TreeMap<>(); // user -> password variable
    List<String> jaasConfigs = new ArrayList<>();
    appServices(raw)
        .keySet()
        .forEach(
            name ->
                jaasConfigs.add(
                    environment(raw.at("/services/" + name))
                        .getOrDefault("AIBROKER_KAFKA_CLIENT_SASL_JAAS_CONFIG", "")));
    jaasConfigs.add(
        environment(raw.at("/services/schema-registry"))
            .getOrDefault("SCHEMA_REGISTRY_KAFKASTORE_SASL_JAAS_CONFIG", ""));
    for (String jaas : jaasConfigs) {
      Matcher m = SCRAM_JAAS.matcher(jaas);
      if (m.matches()) {
        logins.putIfAbsent(m.group(1), m.group(3));
      }
    }
    if (!runScript.contains("[name=admin,password=")) {
      problems.add("deploy/kafka/run.sh does not create the SCRAM user admin");
    }
    logins.forEach(
        (user, variable) -> {
          String key =
              "SCRAM_" + user.toUpperCase(java.util.Locale.ROOT).replace('-', '_') + "_PASSWORD";
          Matcher m = REQUIRED.matcher(kafka.getOrDefault(key, ""));
          if (!m.matches() || !m.group(1).equals(variable)) {
            problems.add(
                user
                    + " logs in with ${"
                    + variable
                    + "} but kafka creates it from "
                    + key
                    + "="
                    + kafka.get(key));
          }
          if (!runScript.contains("[name=" + user + ",password=")) {
            problems.add("deploy/kafka/run.sh does not create the SCRAM user " + user);
          }
          if (!initScript.contains("scram " + user + " \"$$" + key + "\"")) {
            problems.add("topic-init does not set the password of " + user + " from " + key);
          }
        });
    return problems;
  }

  /**
   * topic-init's Kafka tools all log in as admin, and it grants each service principal what the
   * service uses: the app's topics, its Streams application's internal topics, groups and
   * transactional ids, the workers' share group; the registry's store topic and groups.
   */
  static List<String> aclProblems(JsonNode compose) {
    List<String> problems = new ArrayList<>();
    String script = String.join("\n", args(compose.at("/services/topic-init")));
    Matcher tool = Pattern.compile("/opt/kafka/bin/kafka-[a-z-]+\\.sh[^\\n]*").matcher(script);
    while (tool.find()) {
      if (!tool.group().contains("--command-config")) {
        problems.add("topic-init: " + tool.group().trim() + " has no --command-config");
      }
    }
    for (String setting :
        List.of(
            "security.protocol=SASL_PLAINTEXT",
            "sasl.mechanism=" + SCRAM,
            "username=\\\"admin\\\"")) {
      if (!script.contains(setting)) {
        problems.add("topic-init: its client configuration lacks " + setting);
      }
    }
    Set<String> clusterChecked = new TreeSet<>();
    appServices(compose)
        .forEach(
            (name, svc) -> {
              Matcher user =
                  Pattern.compile("username=\"([^\"]+)\"")
                      .matcher(
                          environment(svc)
                              .getOrDefault("AIBROKER_KAFKA_CLIENT_SASL_JAAS_CONFIG", ""));
              AppConfig config;
              try {
                config = ConfigLoader.load(null, environment(svc));
              } catch (RuntimeException e) {
                return;
              }
              if (!user.find()) {
                return; // clientSecurityProblems reports it
              }
              String principal = "User:" + user.group(1);
              Map<String, String> prefixes = new HashMap<>();
              Matcher acl =
                  Pattern.compile(
                          "--allow-principal "
                              + Pattern.quote(principal)
                              + " --operation All --resource-pattern-type prefixed"
                              + " --(topic|group|transactional-id) (\\S+)")
                      .matcher(script);
              while (acl.find()) {
                prefixes.put(acl.group(1), acl.group(2));
              }
              String appId = config.broker().applicationId();
              Map<String, List<String>> needs =
                  Map.of(
                      "topic", List.of(config.topics().prefix(), appId),
                      "group", List.of(config.workers().groupId(), appId),
                      "transactional-id", List.of(appId));
              needs.forEach(
                  (type, names) -> {
                    for (String needed : names) {
                      String prefix = prefixes.get(type);
                      if (prefix == null || !needed.startsWith(prefix)) {
                        problems.add(
                            name + ": " + principal + " has no ALL on " + type + " " + needed);
                      }
                    }
                  });
              if (clusterChecked.add(principal)
                  && !script.contains(
                      "--allow-principal "
                          + principal
                          + " --operation IdempotentWrite --operation DescribeConfigs --cluster")) {
                problems.add(principal + " may not write idempotently or describe the cluster");
              }
            });
    Map<String, String> registry = environment(compose.at("/services/schema-registry"));
    Matcher user =
        Pattern.compile("username=\"([^\"]+)\"")
            .matcher(registry.getOrDefault("SCHEMA_REGISTRY_KAFKASTORE_SASL_JAAS_CONFIG", ""));
    if (user.find()) {
      String principal = "User:" + user.group(1);
      String topic = registry.getOrDefault("SCHEMA_REGISTRY_KAFKASTORE_TOPIC", "_schemas");
      boolean topicAcl = false;
      boolean groupAcl = false;
      for (String line : script.split("\n")) {
        if (!line.contains("--allow-principal " + principal + " ")) {
          continue;
        }
        topicAcl |=
            line.endsWith("--topic " + topic)
                && List.of("Create", "Describe", "DescribeConfigs", "Read", "Write").stream()
                    .allMatch(op -> line.contains("--operation " + op + " "));
        groupAcl |=
            line.contains("--operation Read")
                && line.endsWith("--resource-pattern-type prefixed --group schema-registry");
      }
      if (!topicAcl || !groupAcl) {
        problems.add(principal + " lacks the ACLs of its store topic " + topic + " or its groups");
      }
    }
    return problems;
  }

  /** Interpolations other than a required variable, and $ compose would take for one. */
  static List<String> interpolationProblems(JsonNode raw) {
    List<String> problems = new ArrayList<>();
    strings(
        raw,
        "",
        (path, value) -> {
          Matcher m = DOLLAR.matcher(value);
          while (m.find()) {
            if (!m.group().equals("$$") && !REQUIRED.matcher(m.group()).matches()) {
              problems.add(
                  path + ": " + m.group() + " is not ${NAME:?message} (a literal $ is $$)");
            }
          }
        });
    return problems;
  }

  static List<String> passwordLiteralProblems(String text) {
    List<String> problems = new ArrayList<>();
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      if (PASSWORD_LITERAL.matcher(lines[i]).find()) {
        problems.add("line " + (i + 1) + " writes a password: " + lines[i].trim());
      }
    }
    return problems;
  }

  // ---------------------------------------------------------------- helpers

  /** The file as compose runs it: $$ a $, each required variable {@link #DUMMY}. */
  static JsonNode interpolated(JsonNode node) {
    if (node.isTextual()) {
      Matcher m = DOLLAR.matcher(node.asText());
      StringBuilder out = new StringBuilder();
      while (m.find()) {
        String match = m.group();
        String replacement;
        if (match.equals("$$")) {
          replacement = "$";
        } else if (match.startsWith("${")) {
          Matcher withDefault = Pattern.compile("\\$\\{[A-Za-z0-9_]+:?-(.*)\\}").matcher(match);
          replacement = withDefault.matches() ? withDefault.group(1) : DUMMY;
        } else {
          replacement = match;
        }
        m.appendReplacement(out, Matcher.quoteReplacement(replacement));
      }
      m.appendTail(out);
      return new TextNode(out.toString());
    }
    if (node instanceof ObjectNode object) {
      ObjectNode copy = object.objectNode();
      object.fields().forEachRemaining(f -> copy.set(f.getKey(), interpolated(f.getValue())));
      return copy;
    }
    if (node instanceof ArrayNode array) {
      ArrayNode copy = array.arrayNode();
      array.forEach(v -> copy.add(interpolated(v)));
      return copy;
    }
    return node;
  }

  /** Every string value with its path (a service's values start with the service's name). */
  private static void strings(JsonNode node, String path, BiConsumer<String, String> consumer) {
    if (node.isTextual()) {
      consumer.accept(path, node.asText());
    } else if (node.isObject()) {
      node.fields()
          .forEachRemaining(
              f ->
                  strings(
                      f.getValue(),
                      path.equals("services")
                          ? f.getKey()
                          : path.isEmpty() ? f.getKey() : path + "/" + f.getKey(),
                      consumer));
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        strings(node.get(i), path + "/" + i, consumer);
      }
    }
  }

  private static Set<String> requiredVariables(JsonNode raw) {
    Set<String> names = new TreeSet<>();
    strings(
        raw,
        "",
        (path, value) -> {
          Matcher m = REQUIRED.matcher(value);
          while (m.find()) {
            names.add(m.group(1));
          }
        });
    return names;
  }

  /** deploy/compose.env.example: name -> value. */
  private static Map<String, String> envExample() throws IOException {
    Map<String, String> vars = new LinkedHashMap<>();
    for (String line : Files.readAllLines(root.resolve("deploy/compose.env.example"))) {
      if (!line.isBlank() && !line.startsWith("#")) {
        String[] kv = line.split("=", 2);
        vars.put(kv[0].trim(), kv.length > 1 ? kv[1].trim() : "");
      }
    }
    return vars;
  }

  /** Every property a Kafka producer, consumer or admin client takes. */
  private static Set<String> kafkaClientConfigs() {
    Set<String> names = new TreeSet<>(ProducerConfig.configNames());
    names.addAll(ConsumerConfig.configNames());
    names.addAll(AdminClientConfig.configNames());
    return names;
  }

  /**
   * The Prometheus names of every metric the app exports: the metric-name constants of the metric
   * classes (dots to underscores), as gauge ({@code name}), counter ({@code _total}), timer ({@code
   * _seconds_count|sum|max}), distribution summary ({@code _count|sum|max}), and {@code
   * _seconds_bucket} only for timers with a published histogram.
   */
  static Set<String> exportedMetricNames() {
    Set<String> names = new TreeSet<>();
    for (Class<?> type :
        List.of(BrokerMetrics.class, WorkerMetrics.class, ConnectorMetrics.class)) {
      for (Field field : type.getFields()) {
        if (!Modifier.isStatic(field.getModifiers())
            || field.getType() != String.class
            || field.getName().startsWith("TAG_")) {
          continue;
        }
        String value;
        try {
          value = (String) field.get(null);
        } catch (IllegalAccessException e) {
          throw new IllegalStateException(e);
        }
        if (!value.matches("[a-z_]+(\\.[a-z_]+)+")) {
          continue; // a tag value, not a meter name
        }
        String p = value.replace('.', '_');
        names.add(p);
        names.add(p + "_total");
        for (String suffix : List.of("_count", "_sum", "_max")) {
          names.add(p + suffix);
          names.add(p + "_seconds" + suffix);
        }
        if (HISTOGRAMS.contains(value)) {
          names.add(p + "_seconds_bucket");
        }
      }
    }
    return names;
  }

  private static List<String> expressions(JsonNode dashboard) {
    List<String> exprs = new ArrayList<>();
    dashboard
        .findValues("targets")
        .forEach(ts -> ts.forEach(t -> exprs.add(t.path("expr").asText())));
    return exprs;
  }

  private static Set<String> serviceNames(JsonNode compose) {
    Set<String> names = new TreeSet<>();
    compose.path("services").fieldNames().forEachRemaining(names::add);
    return names;
  }

  /** Services running the aibroker image (built from deploy/Dockerfile). */
  private static Map<String, JsonNode> appServices(JsonNode compose) {
    Map<String, JsonNode> apps = new LinkedHashMap<>();
    compose
        .path("services")
        .fields()
        .forEachRemaining(
            e -> {
              if (isApp(e.getValue())) {
                apps.put(e.getKey(), e.getValue());
              }
            });
    return apps;
  }

  private static boolean isApp(JsonNode svc) {
    return svc.path("image").asText().startsWith("aibroker:")
        || svc.at("/build/dockerfile").asText().equals("deploy/Dockerfile");
  }

  private static List<String> args(JsonNode svc) {
    JsonNode command = svc.path("command");
    List<String> args = new ArrayList<>();
    if (command instanceof ArrayNode array) {
      array.forEach(a -> args.add(a.asText()));
    } else if (command.isTextual()) {
      args.addAll(List.of(command.asText().trim().split("\\s+")));
    }
    return args;
  }

  private static Map<String, String> environment(JsonNode svc) {
    Map<String, String> env = new LinkedHashMap<>();
    JsonNode node = svc.path("environment");
    if (node.isArray()) {
      node.forEach(
          v -> {
            String[] kv = v.asText().split("=", 2);
            env.put(kv[0], kv.length > 1 ? kv[1] : "");
          });
    } else {
      node.fields().forEachRemaining(f -> env.put(f.getKey(), f.getValue().asText()));
    }
    return env;
  }

  private static int httpPort(JsonNode svc) {
    try {
      return ConfigLoader.load(null, environment(svc)).http().port();
    } catch (RuntimeException e) {
      return -1;
    }
  }

  private static boolean validPort(String port) {
    return port.matches("\\d{1,5}")
        && Integer.parseInt(port) >= 1
        && Integer.parseInt(port) <= 65535;
  }

  private static ArrayNode portList(String... ports) {
    ArrayNode list = YAML.createArrayNode();
    for (String port : ports) {
      list.add(port);
    }
    return list;
  }

  /** The host file the compose file mounts into {@code service} whose name ends in {@code file}. */
  private static java.io.File mountedFile(JsonNode compose, String service, String file) {
    for (JsonNode volume : compose.at("/services/" + service + "/volumes")) {
      String source = volume.asText().split(":")[0];
      if (source.endsWith("/" + file)) {
        return root.resolve(source).normalize().toFile();
      }
    }
    throw new AssertionError(service + " mounts no " + file);
  }

  private static Path grafanaMount(String target) {
    for (JsonNode volume : compose.at("/services/grafana/volumes")) {
      String[] parts = volume.asText().split(":");
      if (parts.length >= 2 && parts[1].equals(target)) {
        return root.resolve(parts[0]).normalize();
      }
    }
    throw new AssertionError("grafana mounts nothing at " + target);
  }

  private static Path dashboardFile() {
    Path dir = grafanaMount("/var/lib/grafana/dashboards");
    assertThat(dir.resolve("aibroker.json")).exists();
    return dir.resolve("aibroker.json");
  }
}
