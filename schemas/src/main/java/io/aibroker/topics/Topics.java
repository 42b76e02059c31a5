package io.aibroker.topics;

import java.util.List;
import java.util.Objects;

/**
 * Names of aibroker's Kafka topics (DESIGN.md §3), under a configurable prefix.
 *
 * <p>The default prefix is {@code aibroker}, giving {@code aibroker.requests}, {@code
 * aibroker.results} and so on. All components of one deployment must use the same prefix.
 *
 * @param prefix the topic name prefix, without the trailing dot
 */
public record Topics(String prefix) {

  /** The default topic prefix. */
  public static final String DEFAULT_PREFIX = "aibroker";

  /** Validates the prefix: Kafka topic characters only. */
  public Topics {
    Objects.requireNonNull(prefix, "prefix");
    if (!prefix.matches("[a-zA-Z0-9._-]{1,200}")) {
      throw new IllegalArgumentException(
          "topic prefix must be 1-200 characters of [a-zA-Z0-9._-], was '" + prefix + "'");
    }
  }

  /** Topics with the default prefix. */
  public static Topics defaults() {
    return new Topics(DEFAULT_PREFIX);
  }

  /** The only ingress: InferenceRequest records from backend services. */
  public String requests() {
    return prefix + ".requests";
  }

  /**
   * Requests re-keyed by tenant: the broker copies here the requests whose producer chose another
   * key, so that one Streams task owns all of a tenant's state. Same partition count as {@link
   * #requests()}.
   */
  public String requestsByTenant() {
    return prefix + ".requests.by-tenant";
  }

  /** DispatchRequest records for the workers of one provider. */
  public String dispatch(String provider) {
    return prefix + ".dispatch." + provider;
  }

  /**
   * DispatchRequest records of BATCH priority for one provider. Workers consume them with consumers
   * of their own, so a batch backlog never holds up INTERACTIVE work.
   */
  public String dispatchBatch(String provider) {
    return dispatch(provider) + ".batch";
  }

  /** ProviderOutcome records from workers. */
  public String outcomes() {
    return prefix + ".outcomes";
  }

  /** Exactly one terminal InferenceResult per request. */
  public String results() {
    return prefix + ".results";
  }

  /** ResultChunk records with partial output of streaming requests. */
  public String resultsStream() {
    return prefix + ".results.stream";
  }

  /** The finance ledger: one UsageEvent per billable request. */
  public String usage() {
    return prefix + ".usage";
  }

  /** UsageRollup records per tenant x model x provider x hour/day. */
  public String usageRollups() {
    return prefix + ".usage.rollups";
  }

  /** Compacted TenantPolicy table. */
  public String tenants() {
    return prefix + ".tenants";
  }

  /** Compacted ProviderHealth records, keyed by deployment. */
  public String providerHealth() {
    return prefix + ".provider-health";
  }

  /**
   * Compacted cache entries of tenants that share their cache, keyed by content key. Every broker
   * instance reads all of it (a global table), because sharing tenants live on different
   * partitions.
   */
  public String sharedCache() {
    return prefix + ".cache.shared";
  }

  /** Records that could not be processed, with their cause in headers. */
  public String dlq() {
    return prefix + ".dlq";
  }

  /** Topics whose records are live state, kept by key with log compaction. */
  public List<String> compacted() {
    return List.of(tenants(), providerHealth(), sharedCache());
  }

  /** Every topic aibroker needs, for the given providers' dispatch topics. */
  public List<String> all(List<String> providers) {
    var names =
        new java.util.ArrayList<>(
            List.of(
                requests(),
                requestsByTenant(),
                outcomes(),
                results(),
                resultsStream(),
                usage(),
                usageRollups(),
                tenants(),
                providerHealth(),
                sharedCache(),
                dlq()));
    providers.forEach(p -> names.add(dispatch(p)));
    providers.forEach(p -> names.add(dispatchBatch(p)));
    return List.copyOf(names);
  }
}
