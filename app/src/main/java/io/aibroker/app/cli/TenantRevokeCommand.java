package io.aibroker.app.cli;

import io.aibroker.app.config.AppConfig;
import io.aibroker.app.config.ComponentConfigs;
import io.aibroker.topics.Topics;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AclBinding;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code aibroker tenants revoke}: takes a tenant's identity away from a principal by removing the
 * ACLs {@code grant} created. The tenant's topics, their records and its policy stay (results not
 * yet read are not lost; delete the topics with Kafka's tools once nobody needs them). Idempotent.
 */
@Command(
    name = "revoke",
    mixinStandardHelpOptions = true,
    description = {
      "Removes the ACLs `tenants grant` gave a principal for a tenant. The tenant's topics and",
      "policy stay. Prints what it did; running it again changes nothing."
    },
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {"0:revoked (or nothing to revoke)", "1:invalid input or connection error"})
final class TenantRevokeCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin ConfigOptions options;

  @Parameters(paramLabel = "TENANT", description = "Tenant id.")
  String tenant;

  @Option(
      names = "--principal",
      paramLabel = "User:NAME",
      required = true,
      description = "The Kafka principal that acted as the tenant.")
  String principal;

  @Override
  public Integer call() throws InterruptedException {
    TenantGrantCommand.checkArguments(spec, tenant, principal);
    AppConfig config = options.load(Map.of());
    Topics topics = ComponentConfigs.topics(config);
    PrintWriter out = spec.commandLine().getOut();
    try (Admin admin = Admin.create(Endpoints.kafkaClient(config))) {
      List<AclBinding> acls = TenantAccess.bindings(topics, tenant, principal);
      if (TenantAccess.remove(admin, acls) == TenantAccess.Outcome.APPLIED) {
        acls.forEach(acl -> out.println("removed ACL (if present) " + TenantAccess.describe(acl)));
      } else {
        out.println("no ACLs to remove: the Kafka cluster has no authorizer");
      }
    }
    out.println("kept topics " + String.join(", ", topics.tenantTopics(tenant)));
    out.flush();
    return 0;
  }
}
