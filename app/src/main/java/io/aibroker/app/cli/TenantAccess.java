package io.aibroker.app.cli;

import io.aibroker.topics.Topics;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.SecurityDisabledException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * The Kafka ACLs that make a principal one tenant, and nothing more: write (and describe) its own
 * request topic, read (and describe) its own results and stream-chunk topics, read consumer groups
 * named with its prefix ({@code <tenantId>.}). No access to any shared topic, no create, alter or
 * delete anywhere.
 */
final class TenantAccess {

  /** What applying or removing the ACLs did. */
  enum Outcome {
    APPLIED,
    /** The cluster has no authorizer (e.g. the embedded quick start): nothing to apply. */
    NO_AUTHORIZER
  }

  private TenantAccess() {}

  /** The ACL bindings of the tenant's principal. */
  static List<AclBinding> bindings(Topics topics, String tenantId, String principal) {
    List<AclBinding> acls = new ArrayList<>();
    String requests = topics.tenantRequests(tenantId);
    acls.add(
        allow(principal, ResourceType.TOPIC, requests, PatternType.LITERAL, AclOperation.WRITE));
    acls.add(
        allow(principal, ResourceType.TOPIC, requests, PatternType.LITERAL, AclOperation.DESCRIBE));
    for (String output :
        List.of(topics.tenantResults(tenantId), topics.tenantResultsStream(tenantId))) {
      acls.add(
          allow(principal, ResourceType.TOPIC, output, PatternType.LITERAL, AclOperation.READ));
      acls.add(
          allow(principal, ResourceType.TOPIC, output, PatternType.LITERAL, AclOperation.DESCRIBE));
    }
    acls.add(
        allow(
            principal,
            ResourceType.GROUP,
            Topics.tenantGroupPrefix(tenantId),
            PatternType.PREFIXED,
            AclOperation.READ));
    return acls;
  }

  /** Creates the bindings (creating an existing binding changes nothing). */
  static Outcome apply(Admin admin, List<AclBinding> acls) throws InterruptedException {
    try {
      admin.createAcls(acls).all().get();
      return Outcome.APPLIED;
    } catch (ExecutionException e) {
      return noAuthorizer(e);
    }
  }

  /** Deletes exactly these bindings (deleting absent ones changes nothing). */
  static Outcome remove(Admin admin, List<AclBinding> acls) throws InterruptedException {
    try {
      admin.deleteAcls(acls.stream().map(AclBinding::toFilter).toList()).all().get();
      return Outcome.APPLIED;
    } catch (ExecutionException e) {
      return noAuthorizer(e);
    }
  }

  private static Outcome noAuthorizer(ExecutionException e) {
    if (e.getCause() instanceof SecurityDisabledException) {
      return Outcome.NO_AUTHORIZER;
    }
    throw new IllegalStateException("could not change ACLs: " + e.getCause().getMessage(), e);
  }

  /** One line per binding, for the operator. */
  static String describe(AclBinding acl) {
    ResourcePattern resource = acl.pattern();
    return acl.entry().permissionType()
        + " "
        + acl.entry().principal()
        + " "
        + acl.entry().operation()
        + " on "
        + resource.resourceType()
        + " "
        + resource.name()
        + (resource.patternType() == PatternType.PREFIXED ? "*" : "");
  }

  private static AclBinding allow(
      String principal,
      ResourceType type,
      String name,
      PatternType pattern,
      AclOperation operation) {
    return new AclBinding(
        new ResourcePattern(type, name, pattern),
        new AccessControlEntry(principal, "*", operation, AclPermissionType.ALLOW));
  }
}
