package io.aibroker.workers;

import io.aibroker.topics.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Settings of one worker process.
 *
 * @param topics topic names
 * @param groupId share group the workers of one deployment join
 * @param workerId this worker's id, reported on outcomes
 * @param providers providers this worker calls: it consumes their dispatch topics
 * @param maxPollRecords most dispatch records taken per poll
 * @param callTimeout the longest a single provider call may take
 */
public record WorkerConfig(
    Topics topics,
    String groupId,
    String workerId,
    List<String> providers,
    int maxPollRecords,
    Duration callTimeout) {

  /** Validates the settings. */
  public WorkerConfig {
    Objects.requireNonNull(topics, "topics");
    Objects.requireNonNull(groupId, "groupId");
    Objects.requireNonNull(workerId, "workerId");
    if (providers == null || providers.isEmpty()) {
      throw new IllegalArgumentException("a worker needs at least one provider");
    }
    providers = List.copyOf(providers);
    if (maxPollRecords < 1) {
      throw new IllegalArgumentException("maxPollRecords must be >= 1");
    }
    if (callTimeout == null || callTimeout.isNegative() || callTimeout.isZero()) {
      throw new IllegalArgumentException("callTimeout must be positive");
    }
  }

  /** The dispatch topics this worker consumes. */
  public List<String> dispatchTopics() {
    return providers.stream().map(topics::dispatch).toList();
  }
}
