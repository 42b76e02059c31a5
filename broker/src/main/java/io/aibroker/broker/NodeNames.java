package io.aibroker.broker;

/** Names of the broker topology's nodes and stores, shared by the builder and the processors. */
final class NodeNames {
  static final String REQUESTS_SOURCE = "requests-source";
  static final String REQUESTS_BY_TENANT_SOURCE = "requests-by-tenant-source";
  static final String OUTCOMES_SOURCE = "outcomes-source";
  static final String REKEY = "rekey-by-tenant";
  static final String ADMIT = "admit-request";
  static final String COMPLETE = "complete-request";
  static final String REQUESTS_BY_TENANT_SINK = "requests-by-tenant-sink";
  static final String DISPATCH_SINK = "dispatch-sink";
  static final String RESULTS_SINK = "results-sink";
  static final String USAGE_SINK = "usage-sink";

  /** requestId -> the DispatchRequest of a request admitted and not yet completed. */
  static final String IN_FLIGHT_STORE = "in-flight";

  private NodeNames() {}
}
