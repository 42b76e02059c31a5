package io.aibroker.workers;

import io.aibroker.records.BatchJobEntry;
import io.aibroker.records.ProviderHealth;
import io.aibroker.records.ProviderOutcome;
import io.aibroker.records.ResultChunk;
import io.aibroker.schemas.RecordSerdes;
import io.aibroker.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Everything a worker writes, through one producer: outcomes, stream chunks, health records, batch
 * job records and dead letters. Each method serializes, sends, and returns a future that completes
 * once the broker acknowledged the write (the producer uses {@code acks=all} and idempotence), or
 * fails.
 *
 * <p>Sending may block: for topic metadata or a schema registration on first use, or while the
 * producer's buffer is full. Callers on threads that must not block hop to a virtual thread first.
 */
final class RecordSink implements AutoCloseable {

  private final Producer<byte[], byte[]> producer;
  private final Topics topics;
  private final Serializer<ProviderOutcome> outcomes;
  private final Serializer<ResultChunk> chunks;
  private final Serializer<ProviderHealth> health;
  private final Serializer<BatchJobEntry> batchJobs;

  RecordSink(Producer<byte[], byte[]> producer, Topics topics, RecordSerdes serdes) {
    this.producer = producer;
    this.topics = topics;
    this.outcomes = serdes.outcomes().serializer();
    this.chunks = serdes.chunks().serializer();
    this.health = serdes.health().serializer();
    this.batchJobs = serdes.of(BatchJobEntry.class).serializer();
  }

  /** Writes an outcome to the outcomes topic, keyed by tenant. */
  CompletableFuture<RecordMetadata> outcome(ProviderOutcome outcome) {
    String topic = topics.outcomes();
    return send(
        () ->
            new ProducerRecord<>(
                topic, utf8(outcome.getTenantId()), outcomes.serialize(topic, outcome)));
  }

  /** Writes a chunk of streamed output to the results-stream topic, keyed by request. */
  CompletableFuture<RecordMetadata> chunk(ResultChunk chunk) {
    String topic = topics.resultsStream();
    return send(
        () ->
            new ProducerRecord<>(
                topic, utf8(chunk.getRequestId()), chunks.serialize(topic, chunk)));
  }

  /**
   * Writes a chunk to its tenant's own stream topic too, which only that tenant may read (for
   * tenants granted topics of their own; the dispatch says so).
   */
  CompletableFuture<RecordMetadata> tenantChunk(ResultChunk chunk) {
    String topic = topics.tenantResultsStream(chunk.getTenantId());
    return send(
        () ->
            new ProducerRecord<>(
                topic, utf8(chunk.getRequestId()), chunks.serialize(topic, chunk)));
  }

  /** Writes a deployment's health to the compacted provider-health topic, keyed by deployment. */
  CompletableFuture<RecordMetadata> health(ProviderHealth record) {
    String topic = topics.providerHealth();
    return send(
        () ->
            new ProducerRecord<>(
                topic, utf8(record.getDeployment()), health.serialize(topic, record)));
  }

  /**
   * Writes a record of a provider batch job to the compacted batch-jobs topic, on the partition its
   * job key hashes to, so a job's header and members stay together and in order; a null entry is a
   * tombstone.
   *
   * @param jobKey the job the record belongs to: chooses the partition
   * @param key the record key (the job key for the header, {@link BatchJobLog#memberKey} for a
   *     member)
   */
  CompletableFuture<RecordMetadata> batchJobEntry(String jobKey, String key, BatchJobEntry entry) {
    String topic = topics.batchJobs();
    return send(
        () ->
            new ProducerRecord<>(
                topic,
                BatchJobLog.partition(jobKey, producer.partitionsFor(topic).size()),
                utf8(key),
                entry == null ? null : batchJobs.serialize(topic, entry)));
  }

  /** Writes a prepared dead letter (see {@link DeadLetters}). */
  CompletableFuture<RecordMetadata> deadLetter(ProducerRecord<byte[], byte[]> letter) {
    return send(() -> letter);
  }

  /**
   * Fetches the metadata of every topic written to and registers the chunk schema, so that the
   * chunk sends made later on connector threads (to keep deltas in order) do not block on either.
   * Failures are left for the real writes to report.
   */
  void warmUp() {
    String stream = topics.resultsStream();
    chunks.serialize(
        stream,
        ResultChunk.newBuilder()
            .setRequestId("warm-up")
            .setTenantId("warm-up")
            .setSequence(0)
            .setDelta("")
            .setCreatedAt(Instant.EPOCH)
            .build());
    producer.partitionsFor(topics.outcomes());
    producer.partitionsFor(topics.resultsStream());
    producer.partitionsFor(topics.providerHealth());
    producer.partitionsFor(topics.dlq());
  }

  /** Never throws: a record that cannot be serialized or sent gives a failed future. */
  private CompletableFuture<RecordMetadata> send(Supplier<ProducerRecord<byte[], byte[]>> record) {
    CompletableFuture<RecordMetadata> written = new CompletableFuture<>();
    try {
      producer.send(
          record.get(),
          (metadata, error) -> {
            if (error == null) {
              written.complete(metadata);
            } else {
              written.completeExceptionally(error);
            }
          });
    } catch (RuntimeException e) {
      written.completeExceptionally(e);
    }
    return written;
  }

  private static byte[] utf8(String value) {
    return value == null ? null : value.getBytes(StandardCharsets.UTF_8);
  }

  /** Sends what is buffered and closes the producer. */
  @Override
  public void close() {
    producer.close();
  }
}
