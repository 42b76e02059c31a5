package io.aibroker.workers;

import io.aibroker.records.BatchJobEntry;
import io.aibroker.records.BatchJobHeader;
import io.aibroker.records.DispatchRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.utils.Utils;

/**
 * The writes that keep a provider batch job on the compacted batch-jobs topic: its members and
 * header when it is opened, each change of its header, and tombstones for all of it once every
 * member has its outcome. A job lives on one partition (its key's hash), members first: whoever
 * reads the partition sees a header only after its members.
 */
final class BatchJobLog {

  private final RecordSink sink;

  BatchJobLog(RecordSink sink) {
    this.sink = sink;
  }

  /** The record key of a member. */
  static String memberKey(String jobKey, String requestId) {
    return jobKey + "/" + requestId;
  }

  /** The partition of every record of the job; null (the producer's choice) if none is known. */
  static Integer partition(String jobKey, int partitions) {
    if (partitions <= 0) {
      return null;
    }
    return Utils.toPositive(Utils.murmur2(jobKey.getBytes(StandardCharsets.UTF_8))) % partitions;
  }

  /**
   * Records a new job: each member, then the header. Completes once all are durable; only then may
   * the members' dispatch records be acknowledged.
   */
  CompletableFuture<Void> open(
      String jobKey, List<DispatchRequest> members, BatchJobHeader header) {
    List<CompletableFuture<?>> writes = new ArrayList<>();
    for (DispatchRequest member : members) {
      writes.add(
          sink.batchJobEntry(
              jobKey,
              memberKey(jobKey, member.getRequestId()),
              BatchJobEntry.newBuilder().setJobKey(jobKey).setMember(member).build()));
    }
    writes.add(update(jobKey, header));
    return CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new));
  }

  /** Records the job's header as it now stands. */
  CompletableFuture<Void> update(String jobKey, BatchJobHeader header) {
    return sink.batchJobEntry(
            jobKey, jobKey, BatchJobEntry.newBuilder().setJobKey(jobKey).setJob(header).build())
        .thenApply(written -> null);
  }

  /** Removes a finished job: tombstones for its members and its header. */
  CompletableFuture<Void> remove(String jobKey, List<String> memberIds) {
    List<CompletableFuture<?>> writes = new ArrayList<>();
    memberIds.forEach(id -> writes.add(sink.batchJobEntry(jobKey, memberKey(jobKey, id), null)));
    writes.add(sink.batchJobEntry(jobKey, jobKey, null));
    return CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new));
  }
}
