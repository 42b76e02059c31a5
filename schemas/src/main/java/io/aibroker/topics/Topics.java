package io.aibroker.topics;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Names of aibroker's Kafka topics (docs/ARCHITECTURE.md), under a configurable prefix.
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

  /**
   * Tenant ids that can have topics of their own: 1-100 characters of {@code [A-Za-z0-9_-]}. No
   * dots, so that a tenant's topic names never collide with another tenant's or with aibroker's own
   * ({@code <prefix>.results.stream.<a>} cannot be {@code <prefix>.results.<b>}).
   */
  public static final Pattern TENANT_TOPIC_ID = Pattern.compile("[A-Za-z0-9_-]{1,100}");

  /** Tenant ids that would make a tenant topic name one of aibroker's shared topics. */
  private static final List<String> RESERVED_TENANT_IDS = List.of("by-tenant", "stream");

  /** Topics with the default prefix. */
  public static Topics defaults() {
    return new Topics(DEFAULT_PREFIX);
  }

  /**
   * The shared ingress, for trusted producers: the tenant of a request here is whatever its {@code
   * tenantId} says (see {@link #tenantRequests(String)} for ingress whose tenant Kafka
   * authenticated).
   */
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

  /**
   * Compacted PriceList records keyed by version: the price catalog, changed live by {@code
   * aibroker prices}.
   */
  public String prices() {
    return prefix + ".prices";
  }

  /**
   * Compacted BatchJobEntry records: the provider batch jobs workers opened and have not finished,
   * each a header and its members, so a restarted worker resumes them instead of submitting again.
   */
  public String batchJobs() {
    return prefix + ".batch-jobs";
  }

  /** Records that could not be processed, with their cause in headers. */
  public String dlq() {
    return prefix + ".dlq";
  }

  // ---- a tenant's own topics -------------------------------------------------------------------

  /** True when the tenant id can name topics of its own (see {@link #TENANT_TOPIC_ID}). */
  public static boolean canHaveOwnTopics(String tenantId) {
    return tenantId != null
        && TENANT_TOPIC_ID.matcher(tenantId).matches()
        && !RESERVED_TENANT_IDS.contains(tenantId);
  }

  /**
   * A tenant's own ingress: only that tenant's principal may write it, so the topic, not the
   * record, names the tenant.
   */
  public String tenantRequests(String tenantId) {
    return requests() + "." + requireTenantTopicId(tenantId);
  }

  /** Every tenant's own ingress topic, and nothing else: what the broker subscribes to. */
  public Pattern tenantRequestsPattern() {
    return Pattern.compile(
        Pattern.quote(requests() + ".") + "(?!(?:by-tenant|stream)$)[A-Za-z0-9_-]{1,100}");
  }

  /** The tenant whose own ingress the topic is, if it is one. */
  public Optional<String> tenantOfRequestsTopic(String topic) {
    if (topic == null || !tenantRequestsPattern().matcher(topic).matches()) {
      return Optional.empty();
    }
    return Optional.of(topic.substring(requests().length() + 1));
  }

  /** A tenant's own results topic (also on the shared {@link #results()}, the operator's). */
  public String tenantResults(String tenantId) {
    return results() + "." + requireTenantTopicId(tenantId);
  }

  /** A tenant's own stream-chunk topic (also on the shared {@link #resultsStream()}). */
  public String tenantResultsStream(String tenantId) {
    return resultsStream() + "." + requireTenantTopicId(tenantId);
  }

  /** A tenant's reply topic: the only {@code replyTo} of a tenant with topics of its own. */
  public String tenantReplies(String tenantId) {
    return prefix + ".replies." + tenantId;
  }

  /**
   * The prefix of the consumer groups a tenant may use: {@code <tenantId>.}, so that tenant {@code
   * acme} does not get the groups of {@code acme2}.
   */
  public static String tenantGroupPrefix(String tenantId) {
    return requireTenantTopicId(tenantId) + ".";
  }

  /** The topics a tenant with topics of its own has: ingress, results, stream chunks. */
  public List<String> tenantTopics(String tenantId) {
    return List.of(
        tenantRequests(tenantId), tenantResults(tenantId), tenantResultsStream(tenantId));
  }

  private static String requireTenantTopicId(String tenantId) {
    if (!canHaveOwnTopics(tenantId)) {
      throw new IllegalArgumentException(
          "tenant id '"
              + tenantId
              + "' cannot have topics of its own: it needs 1-100 characters of [A-Za-z0-9_-] and"
              + " must not be "
              + RESERVED_TENANT_IDS);
    }
    return tenantId;
  }

  /** Topics whose records are live state, kept by key with log compaction. */
  public List<String> compacted() {
    return List.of(tenants(), providerHealth(), sharedCache(), prices(), batchJobs());
  }

  /** Every topic aibroker needs, for the given providers' dispatch topics. */
  public List<String> all(List<String> providers) {
    var names =
        new ArrayList<>(
            List.of(
                requests(),
                requestsByTenant(),
                outcomes(),
                results(),
                resultsStream(),
                usage(),
                usageRollups(),
                tenants(),
                prices(),
                providerHealth(),
                sharedCache(),
                batchJobs(),
                dlq()));
    providers.forEach(p -> names.add(dispatch(p)));
    providers.forEach(p -> names.add(dispatchBatch(p)));
    return List.copyOf(names);
  }
}
