package io.aibroker.workers;

import io.aibroker.records.BatchJobHeader;
import io.aibroker.records.DispatchRequest;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A provider batch job this worker drives, as read from the batch-jobs topic (its header and
 * members) plus what only this process knows: when to act on it next and whether an action is under
 * way.
 */
final class OpenBatchJob {

  private final String key;
  private final int partition;
  private final Map<String, DispatchRequest> members = new LinkedHashMap<>();
  private final AtomicBoolean busy = new AtomicBoolean();
  private volatile BatchJobHeader header;
  private volatile Instant nextActionAt = Instant.EPOCH;
  private volatile boolean submissionFailedForSure;
  private volatile boolean gone;

  OpenBatchJob(String key, int partition) {
    this.key = Objects.requireNonNull(key, "key");
    this.partition = partition;
  }

  String key() {
    return key;
  }

  int partition() {
    return partition;
  }

  BatchJobHeader header() {
    return header;
  }

  void header(BatchJobHeader header) {
    this.header = header;
  }

  synchronized void member(DispatchRequest dispatch) {
    members.put(dispatch.getRequestId(), dispatch);
  }

  /** The members named by the header, in line order; those whose record is missing left out. */
  synchronized List<DispatchRequest> members() {
    return header.getMemberIds().stream().map(members::get).filter(Objects::nonNull).toList();
  }

  synchronized boolean hasMember(String requestId) {
    return members.containsKey(requestId);
  }

  Instant nextActionAt() {
    return nextActionAt;
  }

  void actAgainAt(Instant when) {
    nextActionAt = when;
  }

  /** Claims the job for one action; false when another is under way. */
  boolean claim() {
    return busy.compareAndSet(false, true);
  }

  void release() {
    busy.set(false);
  }

  /**
   * A submission failed with the provider's definite answer (not a lost one), so the job is known
   * not to exist at the provider and may be submitted again.
   */
  boolean submissionFailedForSure() {
    return submissionFailedForSure;
  }

  void submissionFailedForSure(boolean value) {
    submissionFailedForSure = value;
  }

  /** The job finished or moved to another worker: no further action. */
  boolean gone() {
    return gone;
  }

  void drop() {
    gone = true;
  }
}
