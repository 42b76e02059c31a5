package io.aibroker.app.http;

import io.aibroker.records.TenantPolicy;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every tenant's allowed models, as its policy on the tenants topic says, kept current by one
 * {@link AllowedModelsReader} per process so that {@code GET /v1/models} reads no topic. A tenant
 * without a policy, or whose policy lists none, may use every model.
 */
public final class AllowedModels {

  private final Map<String, List<String>> byTenant = new ConcurrentHashMap<>();
  private volatile boolean caughtUp;
  private volatile boolean stopped;

  /** An empty view, not caught up yet: give it to an {@link AllowedModelsReader}. */
  public AllowedModels() {}

  /** Takes in a policy read from the topic; a null policy (a tombstone) removes the tenant's. */
  void apply(String tenant, TenantPolicy policy) {
    if (policy == null || policy.getAllowedModels().isEmpty()) {
      byTenant.remove(tenant);
    } else {
      byTenant.put(tenant, policy.getAllowedModels().stream().map(CharSequence::toString).toList());
    }
  }

  /** The models the tenant may use; empty for all. */
  List<String> of(String tenant) {
    return byTenant.getOrDefault(tenant, List.of());
  }

  /** Whether the view has read the topic up to where it ended when reading began. */
  boolean caughtUp() {
    return caughtUp;
  }

  void markCaughtUp() {
    caughtUp = true;
  }

  /** Whether the view stopped following the topic, so that it is no longer current. */
  boolean stopped() {
    return stopped;
  }

  void markStopped() {
    stopped = true;
  }

  /** A view that follows no topic: every tenant may use every model (for tests). */
  public static AllowedModels all() {
    AllowedModels all = new AllowedModels();
    all.markCaughtUp();
    return all;
  }
}
