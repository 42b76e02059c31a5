package io.aibroker.broker;

import io.aibroker.records.InferenceRequest;
import io.aibroker.records.InferenceResult;
import io.aibroker.records.ReasonCode;
import io.aibroker.records.internal.IdempotencyEntry;
import io.aibroker.records.internal.InFlightRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Dedupe by idempotency key. A tenant's key (by default the request's own id) names one piece of
 * work for the idempotency window: a second request under it is a redelivery, a duplicate that gets
 * the first one's result (or waits for it), or, if it asks for other work, an IDEMPOTENCY_CONFLICT.
 * A requestId names one request: the same id with other content is refused outright.
 */
final class Idempotency {

  /** What a request's idempotency key says about it, and what was done about it. */
  sealed interface Dedupe {
    /** No live entry under the key: the request is new work. */
    record New() implements Dedupe {}

    /** The request (or a duplicate already waiting) delivered again: it gets its answer anyway. */
    record Redelivered() implements Dedupe {}

    /** The key was used for other work: the request ends with this rejection. */
    record Conflict(Rejection why) implements Dedupe {}

    /** The original is done: the request ends with this answer (its fingerprints taken). */
    record Answered(InferenceResult answer, Fingerprints fingerprints) implements Dedupe {}

    /** The request now waits for the original's result. */
    record Waiting() implements Dedupe {}

    /** The request may not wait (the waiter list is full, or its tenant is at a limit). */
    record Refused(QuotaLedger.Refusal why) implements Dedupe {}
  }

  private final KeyValueStore<String, IdempotencyEntry> entries;
  private final KeyValueStore<String, InFlightRequest> inFlight;
  private final WaitingRoom waitingRoom;
  private final Duration window;
  private final BrokerMetrics metrics;

  Idempotency(
      KeyValueStore<String, IdempotencyEntry> entries,
      KeyValueStore<String, InFlightRequest> inFlight,
      WaitingRoom waitingRoom,
      Duration window,
      BrokerMetrics metrics) {
    this.entries = entries;
    this.inFlight = inFlight;
    this.waitingRoom = waitingRoom;
    this.window = window;
    this.metrics = metrics;
  }

  /** The request's idempotency key: the one it gives, else its requestId. */
  static String key(InferenceRequest request) {
    return request.getIdempotencyKey() != null
        ? request.getIdempotencyKey()
        : request.getRequestId();
  }

  /** The key's entry in the store: keys are the tenant's own, so the tenant is part of it. */
  static String storeKey(InferenceRequest request) {
    return request.getTenantId() + '\u0000' + key(request);
  }

  /**
   * Refuses a request reusing another one's requestId: a second request with the same id but other
   * content, or of another tenant while the first runs on this task or (its id being its key) is
   * remembered there, gets no result of its own, which would be a second result for that id, and
   * must not join or overwrite the first one's state.
   *
   * @throws UnprocessableRecordException for a reused requestId
   */
  void refuseReusedRequestId(InferenceRequest request, Instant now) {
    String requestId = request.getRequestId();
    if (requestId == null || requestId.isEmpty()) {
      return; // rejected by validation
    }
    String fingerprint = null;
    InFlightRequest first = inFlight.get(requestId);
    if (first != null && !expired(first, now)) {
      fingerprint = RequestFingerprint.of(request);
      if (!first.getDispatch().getTenantId().equals(request.getTenantId())
          || !fingerprintOf(first).equals(fingerprint)) {
        throw reused(requestId);
      }
    }
    IdempotencyEntry entry = entries.get(storeKey(request));
    if (entry != null && entry.getRequestId().equals(requestId) && entry.getFingerprint() != null) {
      if (fingerprint == null) {
        fingerprint = RequestFingerprint.of(request);
      }
      if (!entry.getFingerprint().equals(fingerprint)) {
        throw reused(requestId);
      }
    }
  }

  private static String fingerprintOf(InFlightRequest entry) {
    return entry.getFingerprint() != null
        ? entry.getFingerprint()
        : RequestFingerprint.of(entry.getDispatch().getRequest());
  }

  private static UnprocessableRecordException reused(String requestId) {
    return new UnprocessableRecordException(
        "requestId '"
            + requestId
            + "' is already used by a different request; each request needs an id of its own");
  }

  /**
   * Looks the request up under its key. A true duplicate of a finished request is answered with the
   * original's result; one of a request still running joins its waiters (counted against its
   * tenant's limits under {@code policy}), always the original's own list, so answering them is one
   * level deep however many there are.
   */
  Dedupe dedupe(InferenceRequest request, EffectivePolicy policy, Instant now) {
    IdempotencyEntry entry = entries.get(storeKey(request));
    if (entry == null) {
      entry = inFlightUnderKey(request, now);
    }
    if (entry == null || !entry.getExpiresAt().isAfter(now)) {
      return new Dedupe.New();
    }
    if (entry.getRequestId().equals(request.getRequestId())) {
      return new Dedupe.Redelivered(); // it already has (or will get) its result
    }
    Fingerprints fingerprints = Fingerprints.of(request);
    if (waitingRoom.isWaiting(entry.getRequestId(), request.getRequestId(), fingerprints)) {
      return new Dedupe.Redelivered(); // a waiting duplicate: it will get its answer
    }
    if (entry.getContentFingerprint() != null
        && !entry.getContentFingerprint().equals(fingerprints.content())) {
      return new Dedupe.Conflict(
          new Rejection(
              ReasonCode.IDEMPOTENCY_CONFLICT,
              "idempotency key '"
                  + key(request)
                  + "' was used by request '"
                  + entry.getRequestId()
                  + "' for other work (task, model or content differ); use a new key for new"
                  + " work"));
    }
    if (entry.getFinalResult() != null) {
      metrics.dedupeHit();
      return new Dedupe.Answered(
          Waiters.answer(entry.getFinalResult(), request, false, now), fingerprints);
    }
    var refused = waitingRoom.join(entry.getRequestId(), request, fingerprints, false, policy, now);
    if (refused.isPresent()) {
      metrics.limited(refused.get().reason(), false);
      return new Dedupe.Refused(refused.get());
    }
    metrics.dedupeHit();
    return new Dedupe.Waiting();
  }

  /**
   * A request dispatched with its own id as its key has no entry in the idempotency store: its
   * in-flight entry stands in for one, while it runs and, with its result, once it is done (see
   * {@link #rememberDone}).
   */
  private IdempotencyEntry inFlightUnderKey(InferenceRequest request, Instant now) {
    String key = key(request);
    InFlightRequest known = inFlight.get(key);
    if (known == null
        || !key.equals(known.getIdempotencyKey())
        || !request.getTenantId().equals(known.getDispatch().getTenantId())) {
      return null;
    }
    if (known.getFinalResult() != null) {
      return IdempotencyEntry.newBuilder()
          .setRequestId(key)
          .setFinalResult(known.getFinalResult())
          .setExpiresAt(known.getExpiresAt())
          .setFingerprint(known.getFingerprint())
          .setContentFingerprint(known.getContentFingerprint())
          .build();
    }
    return IdempotencyEntry.newBuilder()
        .setRequestId(key)
        .setFinalResult(null)
        .setExpiresAt(now.plus(window))
        .setContentFingerprint(RequestFingerprint.ofContent(known.getDispatch().getRequest()))
        .build();
  }

  /** Remembers the request under its key for the window, with its result once it has one. */
  void remember(
      InferenceRequest request, Fingerprints fingerprints, Instant now, InferenceResult result) {
    entries.put(
        storeKey(request),
        IdempotencyEntry.newBuilder()
            .setRequestId(request.getRequestId())
            .setFingerprint(fingerprints.full())
            .setContentFingerprint(fingerprints.content())
            .setFinalResult(result)
            .setExpiresAt(now.plus(window))
            .build());
  }

  /**
   * Remembers a request that was in flight with its result, and ends its in-flight entry (changed
   * in place: call it last). Under its own id as its key, its in-flight entry becomes its
   * idempotency entry: one changelog record where deleting the one and putting the other were two.
   * Its content is dropped (its fingerprints are kept), so the entry is no larger than an
   * idempotency entry; {@code expiresAt} marks it done and tells the sweeper when to evict it.
   * Under another key, or if it was remembered while it was queued, the entry under its key takes
   * the result and the in-flight entry goes.
   */
  void rememberDone(InFlightRequest running, InferenceResult result, Instant now) {
    InferenceRequest request = running.getDispatch().getRequest();
    IdempotencyEntry remembered = entries.get(storeKey(request));
    Fingerprints fingerprints = fingerprintsIn(remembered, request);
    if (remembered != null || !running.getIdempotencyKey().equals(request.getRequestId())) {
      inFlight.delete(request.getRequestId());
      remember(request, fingerprints, now, result);
      return;
    }
    request.setMessages(List.of());
    request.setInputs(List.of());
    running.getDispatch().setFallbacks(List.of());
    running.setFinalResult(result);
    running.setExpiresAt(now.plus(window));
    running.setFingerprint(fingerprints.full());
    running.setContentFingerprint(fingerprints.content());
    inFlight.put(request.getRequestId(), running);
  }

  /** True for the entry of a request that is done and whose window has passed. */
  static boolean expired(InFlightRequest entry, Instant now) {
    return entry.getExpiresAt() != null && !entry.getExpiresAt().isAfter(now);
  }

  /** Remembers a request that has no result yet (queued, waiting or dispatched). */
  void rememberPending(InferenceRequest request, Instant now) {
    remember(request, Fingerprints.of(request), now, null);
  }

  /**
   * Remembers a request just dispatched, unless its key is its own id: then its in-flight entry
   * answers duplicates until its result is remembered, one store write (and changelog record) less
   * per request.
   */
  void dispatched(InferenceRequest request, Instant now) {
    if (!key(request).equals(request.getRequestId())) {
      rememberPending(request, now);
    }
  }

  /**
   * The fingerprints remembered for the request when it was admitted, if any (saves hashing its
   * content twice), else taken now.
   */
  Fingerprints fingerprintsOf(InferenceRequest request) {
    return fingerprintsIn(entries.get(storeKey(request)), request);
  }

  private static Fingerprints fingerprintsIn(IdempotencyEntry entry, InferenceRequest request) {
    if (entry != null
        && entry.getRequestId().equals(request.getRequestId())
        && entry.getFingerprint() != null
        && entry.getContentFingerprint() != null) {
      return new Fingerprints(entry.getFingerprint(), entry.getContentFingerprint());
    }
    return Fingerprints.of(request);
  }
}
