package io.aibroker.broker;

import io.aibroker.records.InferenceRequest;
import io.aibroker.records.ReasonCode;
import io.aibroker.records.internal.TenantUsage;
import io.aibroker.records.internal.Waiter;
import io.aibroker.records.internal.WaiterList;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Requests answered by another request's work: duplicates by idempotency key, and identical
 * requests coalesced into one provider call. A joiner is a request like any other for its tenant's
 * limits: it counts against requests per minute and concurrency until it is answered. Each list is
 * bounded by count and bytes ({@link Tenancy}), and keeps only what answering needs (ids, reply
 * topic, tags and metadata), not the prompt: the list is one store record, which must stay far
 * below the largest record the broker can write however many identical requests a tenant sends.
 */
final class WaitingRoom {

  private final Tenancy tenancy;
  private final KeyValueStore<String, WaiterList> waiters;
  private final KeyValueStore<String, TenantUsage> usage;

  WaitingRoom(
      Tenancy tenancy,
      KeyValueStore<String, WaiterList> waiters,
      KeyValueStore<String, TenantUsage> usage) {
    this.tenancy = tenancy;
    this.waiters = waiters;
    this.usage = usage;
  }

  /**
   * Lets the request wait for {@code leader}'s result, counted against its tenant's limits; or says
   * why it may not (the list is full, or the tenant is at a limit).
   */
  Optional<QuotaLedger.Refusal> join(
      String leader,
      InferenceRequest request,
      Fingerprints fingerprints,
      boolean coalesced,
      EffectivePolicy policy,
      Instant now) {
    WaiterList list = waiters.get(leader);
    List<Waiter> waiting = list == null ? new ArrayList<>() : list.getWaiters();
    InferenceRequest kept = withoutContent(request);
    if (waiting.size() >= tenancy.maxWaiters()
        || bytes(waiting) + RequestSizes.estimate(kept) > tenancy.maxWaiterBytes()) {
      return Optional.of(
          new QuotaLedger.Refusal(
              ReasonCode.QUOTA_CONCURRENCY,
              waiting.size()
                  + " requests already wait for the result of request '"
                  + leader
                  + "' (at most "
                  + tenancy.maxWaiters()
                  + " requests or "
                  + tenancy.maxWaiterBytes()
                  + " bytes)",
              null));
    }
    String tenant = request.getTenantId();
    TenantUsage used = current(tenant, now);
    Optional<QuotaLedger.Refusal> refusal = QuotaLedger.check(used, policy, Demand.NONE, now);
    if (refusal.isPresent()) {
      return refusal;
    }
    QuotaLedger.reserve(used, Demand.NONE);
    usage.put(tenant, used);
    waiting.add(
        Waiter.newBuilder()
            .setRequest(kept)
            .setCoalesced(coalesced)
            .setCounted(true)
            .setFingerprint(fingerprints.full())
            .setContentFingerprint(fingerprints.content())
            .build());
    waiters.put(leader, new WaiterList(waiting));
    return Optional.empty();
  }

  /**
   * True when the request (by id) already waits for {@code leader}: a redelivery. The same id with
   * other content is another request reusing the id, which gets no result of its own.
   *
   * @throws UnprocessableRecordException for a reused request id
   */
  boolean isWaiting(String leader, String requestId, Fingerprints fingerprints) {
    WaiterList list = waiters.get(leader);
    if (list == null) {
      return false;
    }
    for (Waiter waiter : list.getWaiters()) {
      if (waiter.getRequest().getRequestId().equals(requestId)) {
        if (waiter.getFingerprint() != null
            && !waiter.getFingerprint().equals(fingerprints.full())) {
          throw new UnprocessableRecordException(
              "requestId '"
                  + requestId
                  + "' is already used by a different request; each request needs an id of its"
                  + " own");
        }
        return true;
      }
    }
    return false;
  }

  /** The requests waiting for {@code leader}, removed from the store; empty if none. */
  List<Waiter> release(String leader) {
    // Most requests have nobody waiting: a delete would still write a tombstone to the changelog
    // (one record per request, measured by the bench); a read costs no record.
    WaiterList list = waiters.get(leader);
    if (list == null) {
      return List.of();
    }
    waiters.delete(leader);
    return list.getWaiters();
  }

  /** Gives back the unit of concurrency a counted waiter took, once it is answered. */
  void answered(Waiter waiter, Instant now) {
    if (!waiter.getCounted()) {
      return; // joined before joiners were counted
    }
    String tenant = waiter.getRequest().getTenantId();
    TenantUsage used = current(tenant, now);
    QuotaLedger.release(used);
    usage.put(tenant, used);
  }

  private TenantUsage current(String tenant, Instant now) {
    return QuotaLedger.current(usage.get(tenant), now);
  }

  private static long bytes(List<Waiter> waiting) {
    long bytes = 0;
    for (Waiter waiter : waiting) {
      bytes += RequestSizes.estimate(waiter.getRequest());
    }
    return bytes;
  }

  /** The request without its messages and inputs, which its answer does not need. */
  static InferenceRequest withoutContent(InferenceRequest request) {
    return InferenceRequest.newBuilder(request).setMessages(List.of()).setInputs(List.of()).build();
  }
}
