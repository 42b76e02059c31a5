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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Docker cannot run on the build machines, so this test reads docker-compose.yml and the files it
 * mounts (deploy/**) and checks them against the app: every app service runs a real subcommand with
 * real options, every AIBROKER_* variable names a setting and loads, ports are valid and not taken
 * twice on the host, dependencies exist, Prometheus scrapes compose services on the app's HTTP
 * port, and every metric the Grafana dashboard queries is one the app exports. Each check collects
 * problems as strings; the negative tests prove that a broken file is caught.
 */
class ComposeFileTest {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Meters recorded with publishPercentileHistogram(), the only ones with {@code _bucket}. */
  private static final Set<String> HISTOGRAMS =
      Set.of(BrokerMetrics.LATENCY, WorkerMetrics.OPERATION_DURATION);

  private static final Pattern METRIC_NAME =
      Pattern.compile("\\b((?:aibroker|gen_ai)_[a-zA-Z0-9_]+)\\b");

  private static Path root;
  private static JsonNode compose;

  @BeforeAll
  static void load() throws IOException {
    Path here = Path.of("").toAbsolutePath();
    root = Files.exists(here.resolve("docker-compose.yml")) ? here : here.getParent();
    compose = YAML.readTree(root.resolve("docker-compose.yml").toFile());
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
    for (String topic : topics.compacted()) {
      assertThat(script).contains(topic);
    }
    assertThat(script)
        .contains("--partitions 6", "cleanup.policy=compact")
        // usage reports must not shrink with the cluster's default retention
        .contains(
            "create aibroker.usage.rollups --config retention.ms="
                + io.aibroker.app.TopicProvisioner.USAGE_ROLLUPS_RETENTION.toMillis())
        .contains("--entity-type groups --entity-name aibroker-workers")
        .contains("share.auto.offset.reset=earliest")
        // dispatches of aborted broker transactions must never reach a provider
        .contains("share.isolation.level=read_committed");
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
                    .forEach(k -> problems.add(e.getKey() + ": " + k + " names no setting")));
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

  // ---------------------------------------------------------------- helpers

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
