package io.aibroker.app.cli;

import io.aibroker.app.SchemaRegistration;
import io.aibroker.app.TopicProvisioner;
import io.aibroker.app.TopicSchemas;
import io.aibroker.app.config.AppConfig;
import io.aibroker.app.config.ComponentConfigs;
import io.aibroker.records.TenantPolicy;
import io.aibroker.registry.RestSchemaRegistryClient;
import io.aibroker.registry.SchemaRegistryConfig;
import io.aibroker.topics.Topics;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AclBinding;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code aibroker tenants grant}: gives a Kafka principal one tenant's identity. Creates the
 * tenant's own topics, the ACLs that let the principal use them and nothing else ({@link
 * TenantAccess}), and marks the tenant's policy so the broker sends its results there. Idempotent:
 * granting again creates nothing new and says so.
 */
@Command(
    name = "grant",
    mixinStandardHelpOptions = true,
    description = {
      "Gives a Kafka principal a tenant's identity: creates the tenant's topics",
      "<prefix>.requests.<tenant> (write), <prefix>.results.<tenant> and",
      "<prefix>.results.stream.<tenant> (read), and ACLs for exactly those and for consumer groups",
      "named <tenant>.*; the broker serves the tenant's topic within seconds and takes the tenant",
      "from the topic. Prints what it did; running it again changes nothing."
    },
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {"0:granted (or already granted)", "1:invalid input or connection error"})
final class TenantGrantCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin ConfigOptions options;

  @Parameters(
      paramLabel = "TENANT",
      description = "Tenant id: 1-100 letters, digits, _ and - (it names topics).")
  String tenant;

  @Option(
      names = "--principal",
      paramLabel = "User:NAME",
      required = true,
      description = "The Kafka principal that acts as the tenant, e.g. User:acme-svc.")
  String principal;

  @Option(
      names = "--partitions",
      paramLabel = "N",
      description =
          "Partitions of the tenant's topics when created (default: topics.partitions; its"
              + " default 0 sizes them to the Kafka: 2 on the embedded one, 6 on a cluster).")
  Integer partitions;

  @Override
  public Integer call() throws InterruptedException {
    checkArguments(spec, tenant, principal);
    AppConfig config = options.load(Map.of());
    Topics topics = ComponentConfigs.topics(config);
    PrintWriter out = spec.commandLine().getOut();
    int topicPartitions = partitions != null ? partitions : config.topicPartitions();
    try (Admin admin = Admin.create(Endpoints.kafkaClient(config))) {
      var provisioner =
          new TopicProvisioner(
              admin, topics, config.topicPartitions(), config.topics().replicationFactor());
      List<String> created = provisioner.ensureTenantTopics(tenant, topicPartitions);
      for (String topic : topics.tenantTopics(tenant)) {
        out.println((created.contains(topic) ? "created topic " : "topic exists: ") + topic);
      }
      registerSchemas(config, topics, out);
      List<AclBinding> acls = TenantAccess.bindings(topics, tenant, principal);
      if (TenantAccess.apply(admin, acls) == TenantAccess.Outcome.APPLIED) {
        acls.forEach(acl -> out.println("ACL " + TenantAccess.describe(acl)));
      } else {
        out.println(
            "ACLs were not applied: the Kafka cluster has no authorizer (e.g. the embedded quick"
                + " start), so any client may use these topics");
      }
    }
    markOwnTopics(config, out);
    out.flush();
    return 0;
  }

  /**
   * Registers the value schemas of the tenant's topics (and of its reply topic), so that a client
   * of the tenant that reads the latest registered version finds them before the first record.
   */
  private void registerSchemas(AppConfig config, Topics topics, PrintWriter out) {
    List<String> names = new ArrayList<>(topics.tenantTopics(tenant));
    names.add(topics.tenantReplies(tenant));
    String url = Endpoints.registryUrl(config);
    try (var registry = new RestSchemaRegistryClient(SchemaRegistryConfig.of(url))) {
      List<String> subjects =
          new SchemaRegistration(registry, url, new TopicSchemas(topics)).register(names);
      out.println("value schemas registered: " + String.join(", ", subjects));
    }
  }

  private void markOwnTopics(AppConfig config, PrintWriter out) {
    try (TenantStore store = new TenantStore(config)) {
      TenantPolicy current = store.get(tenant).orElse(null);
      if (current != null && current.getOwnTopics()) {
        out.println("policy of tenant " + tenant + " already names its own topics");
        return;
      }
      Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
      TenantPolicy base =
          current != null
              ? current
              : TenantPolicy.newBuilder().setTenantId(tenant).setUpdatedAt(now).build();
      store.put(TenantPolicy.newBuilder(base).setOwnTopics(true).setUpdatedAt(now).build());
      out.println(
          (current == null ? "created the policy of tenant " : "updated the policy of tenant ")
              + tenant
              + ": its results and stream chunks now also go to its own topics");
    }
  }

  static void checkArguments(CommandSpec spec, String tenant, String principal) {
    if (!Topics.canHaveOwnTopics(tenant)) {
      throw new ParameterException(
          spec.commandLine(),
          "tenant id '"
              + ControlCharacters.escape(tenant)
              + "' cannot name topics: use 1-100 letters, digits, _ and - (not 'by-tenant' or"
              + " 'stream')");
    }
    if (principal == null || !principal.matches("[A-Za-z]+:.+")) {
      throw new ParameterException(
          spec.commandLine(),
          "principal must look like User:NAME, was '"
              + ControlCharacters.escape(String.valueOf(principal))
              + "'");
    }
  }
}
