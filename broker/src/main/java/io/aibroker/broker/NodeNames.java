package io.aibroker.broker;

/** Names of the broker topology's nodes and stores, shared by the builder and the processors. */
final class NodeNames {
  static final String REQUESTS_SOURCE = "requests-source";
  static final String REQUESTS_BY_TENANT_SOURCE = "requests-by-tenant-source";
  static final String OUTCOMES_SOURCE = "outcomes-source";
  static final String REKEY = "rekey-by-tenant";
  static final String TENANT_REQUESTS_SOURCE = "tenant-requests-source";
  static final String TENANT_INGRESS = "tenant-ingress";
  static final String INGRESS_BY_TENANT_SINK = "ingress-by-tenant-sink";
  static final String INGRESS_RESULTS_SINK = "ingress-results-sink";
  static final String INGRESS_TENANT_RESULTS_SINK = "ingress-tenant-results-sink";
  static final String TENANT_RESULTS_SINK = "tenant-results-sink";
  static final String ADMIT = "admit-request";
  static final String COMPLETE = "complete-request";
  static final String REQUESTS_BY_TENANT_SINK = "requests-by-tenant-sink";
  static final String DISPATCH_SINK = "dispatch-sink";
  static final String RESULTS_SINK = "results-sink";
  static final String USAGE_SINK = "usage-sink";
  static final String REPLY_SINK = "reply-to-sink";
  static final String ROLLUP = "roll-up-usage";
  static final String ROLLUPS_SINK = "usage-rollups-sink";
  static final String POLICIES_SOURCE = "tenant-policies-source";
  static final String POLICIES_LOADER = "load-tenant-policy";
  static final String HEALTH_SOURCE = "provider-health-source";
  static final String HEALTH_LOADER = "load-provider-health";
  static final String SHARED_CACHE_SOURCE = "shared-cache-source";
  static final String SHARED_CACHE_LOADER = "load-shared-cache";
  static final String SHARED_CACHE_SINK = "shared-cache-sink";
  static final String PRICES_SOURCE = "prices-source";
  static final String PRICES_LOADER = "load-price-list";

  private NodeNames() {}
}
