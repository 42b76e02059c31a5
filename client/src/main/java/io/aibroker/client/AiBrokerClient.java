package io.aibroker.client;

import io.aibroker.records.InferenceRequest;
import io.aibroker.records.InferenceResult;
import io.aibroker.records.ResultChunk;
import io.aibroker.schemas.RecordSerdes;
import io.aibroker.topics.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Submits inference requests to aibroker and completes a future with each request's result.
 *
 * <p>A client built with {@link #builder} creates a reply topic of its own ({@code
 * <prefix>.replies.<clientId>}, retention 1 hour), sets every request's {@code replyTo} to it and
 * reads only its own results from there; the topic is kept when the client closes (see {@link
 * Builder#keepReplyTopic}). The {@linkplain #AiBrokerClient(Map, RecordSerdes, Topics) plain
 * constructor} instead reads the shared results topic, which needs no topic-creation rights but
 * reads every tenant's results. Either way results are correlated by requestId, requests are keyed
 * by tenant, and at most {@code maxInFlight} requests are submitted but unanswered at any time
 * ({@code submit} blocks until one finishes).
 *
 * <pre>{@code
 * RecordSerdes serdes =
 *     new RecordSerdes(new RestSchemaRegistryClient(SchemaRegistryConfig.of("http://localhost:8081")));
 * try (AiBrokerClient client =
 *     AiBrokerClient.builder(Map.of("bootstrap.servers", "localhost:9092"), serdes)
 *         .defaultTimeout(Duration.ofSeconds(30))
 *         .maxInFlight(100)
 *         .build()) {
 *   InferenceRequest request =
 *       InferenceRequest.newBuilder()
 *           .setRequestId(UUID.randomUUID().toString())
 *           .setTenantId("acme")
 *           .setTask(Task.CHAT)
 *           .setModel("chat-default")
 *           .setMessages(List.of(new ChatMessage("user", "Hello")))
 *           .setCreatedAt(Instant.now())
 *           .build();
 *   InferenceResult result = client.submit(request).join();
 *   System.out.println(result.getStatus() + ": " + result.getOutput().getText());
 *
 *   // after a restart, an earlier request's result by its id:
 *   InferenceResult earlier = client.fetchResult(request.getRequestId(), Duration.ofSeconds(10)).join();
 * }
 * }</pre>
 */
public final class AiBrokerClient implements AutoCloseable {

  /** How long the client waits for Kafka before it reports that it cannot reach it. */
  public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(15);

  /** Timeout of {@link #submit(InferenceRequest)} unless the builder sets another. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(2);

  /** Submitted-but-unanswered requests allowed at once unless the builder sets another number. */
  public static final int DEFAULT_MAX_IN_FLIGHT = 1_000;

  /** Retention of a reply topic the client creates. */
  public static final Duration REPLY_TOPIC_RETENTION = Duration.ofHours(1);

  /**
   * How long a new reply topic is left before the first request names it: the broker refreshes its
   * list of topics at most every 2 seconds and rejects a request whose replyTo it does not know.
   */
  static final Duration REPLY_TOPIC_SETTLE = Duration.ofMillis(2_500);

  private final Map<String, Object> kafka;
  private final RecordSerdes serdes;
  private final Topics topics;
  private final Duration defaultTimeout;
  private final int maxInFlight;
  private final Semaphore permits;
  private final String replyTopic;
  private final boolean deleteReplyTopic;
  private final Admin admin;
  private final Instant usableAt;
  private final String tenant;
  private final boolean tenantIngress;
  private final KafkaProducer<String, InferenceRequest> producer;
  private final ResultSource results;
  private ChunkSource chunks;
  private volatile boolean closed;

  /**
   * Connects a client that reads results from the shared results topic (from the moment it
   * started), with no limit on requests in flight.
   *
   * @param client Kafka connection settings (bootstrap servers, security)
   * @param serdes Avro serdes bound to the Schema Registry
   * @param topics topic names
   */
  public AiBrokerClient(Map<String, Object> client, RecordSerdes serdes, Topics topics) {
    this(
        builder(client, serdes)
            .topics(topics)
            .useSharedResultsTopic()
            .maxInFlight(Integer.MAX_VALUE)
            .defaultTimeout(DEFAULT_TIMEOUT));
  }

  private AiBrokerClient(Builder b) {
    this.kafka = Map.copyOf(b.kafka);
    this.serdes = b.serdes;
    this.topics = b.topics;
    this.defaultTimeout = b.defaultTimeout;
    this.maxInFlight = b.maxInFlight;
    this.permits = new Semaphore(b.maxInFlight);
    this.tenant = b.tenant;
    this.tenantIngress = b.tenantIngress;
    if (b.sharedResults || b.tenant != null) {
      this.replyTopic = null;
      this.admin = null;
      this.deleteReplyTopic = false;
      this.usableAt = Instant.MIN;
    } else {
      String clientId = b.clientId != null ? b.clientId : defaultClientId(b.kafka);
      this.replyTopic =
          b.replyTopic != null ? b.replyTopic : topics.prefix() + ".replies." + clientId;
      this.admin = Admin.create(new HashMap<>(b.kafka));
      boolean created = createReplyTopic(b.replyTopicPartitions);
      this.deleteReplyTopic = created && !b.keepReplyTopic;
      this.usableAt = created ? Instant.now().plus(REPLY_TOPIC_SETTLE) : Instant.MIN;
    }
    Map<String, Object> producerProps = new HashMap<>(b.kafka);
    producerProps.put("acks", "all");
    producerProps.put("enable.idempotence", true);
    producerProps.putIfAbsent("linger.ms", 0);
    this.producer =
        new KafkaProducer<>(producerProps, new StringSerializer(), serdes.requests().serializer());
    String resultTopic =
        b.tenant != null
            ? topics.tenantResults(b.tenant)
            : replyTopic != null ? replyTopic : topics.results();
    this.results = new ResultSource(b.kafka, serdes, resultTopic);
  }

  /**
   * A builder of a client with its own reply topic.
   *
   * @param kafka Kafka connection settings (bootstrap servers, security, optionally client.id)
   * @param serdes Avro serdes bound to the Schema Registry
   */
  public static Builder builder(Map<String, Object> kafka, RecordSerdes serdes) {
    return new Builder(kafka, serdes);
  }

  private static String defaultClientId(Map<String, Object> kafka) {
    Object configured = kafka.get("client.id");
    String base = configured == null ? "client" : configured.toString();
    return base.replaceAll("[^a-zA-Z0-9._-]", "_") + "-" + UUID.randomUUID().toString();
  }

  /** Creates the reply topic; false if it already existed. */
  private boolean createReplyTopic(int partitions) {
    NewTopic topic =
        new NewTopic(replyTopic, Optional.of(partitions), Optional.empty())
            .configs(
                Map.of(
                    "retention.ms",
                    Long.toString(REPLY_TOPIC_RETENTION.toMillis()),
                    "cleanup.policy",
                    "delete"));
    boolean created = true;
    try {
      admin
          .createTopics(List.of(topic))
          .all()
          .get(CONNECT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      boolean exists =
          e.getCause() instanceof TopicExistsException
              || (e.getCause() instanceof TopicAuthorizationException && replyTopicExists());
      if (!exists) {
        admin.close(Duration.ofSeconds(5));
        throw new IllegalStateException(
            "cannot create reply topic " + replyTopic + ": " + e.getCause(), e.getCause());
      }
      created = false;
    } catch (TimeoutException | InterruptedException e) {
      admin.close(Duration.ofSeconds(5));
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw new IllegalStateException("cannot create reply topic " + replyTopic, e);
    }
    return created;
  }

  /**
   * Whether the reply topic exists, for a principal that may not create topics but may describe its
   * own reply topic (the operator created it).
   */
  private boolean replyTopicExists() {
    try {
      admin
          .describeTopics(List.of(replyTopic))
          .allTopicNames()
          .get(CONNECT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (ExecutionException | TimeoutException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** The topic this client reads its results from: its reply topic, or the shared results topic. */
  public String resultTopic() {
    return results.topic();
  }

  /** The client's reply topic, empty when it reads the shared results topic. */
  public Optional<String> replyTopic() {
    return Optional.ofNullable(replyTopic);
  }

  /** Requests submitted whose result has not arrived (nor timed out) yet. */
  public int inFlight() {
    return maxInFlight - permits.availablePermits();
  }

  /** The most requests this client lets be in flight at once. */
  public int maxInFlight() {
    return maxInFlight;
  }

  /** Submits with the client's default timeout; see {@link #submit(InferenceRequest, Duration)}. */
  public CompletableFuture<InferenceResult> submit(InferenceRequest request) {
    return submit(request, defaultTimeout);
  }

  /**
   * Publishes the request and returns its result when the broker publishes it. Blocks while {@link
   * #maxInFlight()} requests are unanswered. With a reply topic, the request's {@code replyTo} is
   * set to it (replacing any other).
   *
   * @param request the request; its tenantId is the record key
   * @param timeout how long to wait for the result before the future fails with a TimeoutException
   */
  public CompletableFuture<InferenceResult> submit(InferenceRequest request, Duration timeout) {
    Objects.requireNonNull(request, "request");
    ensureOpen();
    if (tenant != null && !tenant.equals(request.getTenantId())) {
      throw new IllegalArgumentException(
          "this client publishes for tenant "
              + tenant
              + " only; request "
              + request.getRequestId()
              + " names tenant "
              + request.getTenantId());
    }
    InferenceRequest toSend =
        replyTopic == null || replyTopic.equals(request.getReplyTo())
            ? request
            : InferenceRequest.newBuilder(request).setReplyTo(replyTopic).build();
    awaitUsable();
    try {
      permits.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for a request to finish", e);
    }
    AtomicBoolean released = new AtomicBoolean();
    Runnable release =
        () -> {
          if (released.compareAndSet(false, true)) {
            permits.release();
          }
        };
    CompletableFuture<InferenceResult> result;
    try {
      result = results.register(toSend.getRequestId(), toSend.getTenantId());
      producer.send(
          new ProducerRecord<>(requestTopic(toSend), toSend.getTenantId(), toSend),
          (metadata, error) -> {
            if (error != null) {
              result.completeExceptionally(error);
            }
          });
    } catch (RuntimeException e) {
      release.run();
      throw e;
    }
    return result
        .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .whenComplete((r, e) -> release.run());
  }

  /**
   * The tenant's own request topic for a client of one tenant, or for a service that publishes on
   * tenants' topics; else the shared requests topic.
   */
  private String requestTopic(InferenceRequest request) {
    if (tenant != null) {
      return topics.tenantRequests(tenant);
    }
    if (tenantIngress && Topics.canHaveOwnTopics(request.getTenantId())) {
      return topics.tenantRequests(request.getTenantId());
    }
    return topics.requests();
  }

  /**
   * Submits every request, never more than {@link #maxInFlight()} unanswered at a time, and returns
   * their results in the order of the requests. Returns at once; the requests are sent from a
   * thread of the client. The future fails with the first failure of any request (e.g. a timeout);
   * use {@link #submit} per request to handle failures one by one.
   */
  public CompletableFuture<List<InferenceResult>> submitAll(Iterable<InferenceRequest> requests) {
    Objects.requireNonNull(requests, "requests");
    ensureOpen();
    CompletableFuture<List<InferenceResult>> all = new CompletableFuture<>();
    Thread.ofVirtual()
        .name("aibroker-client-submit-all")
        .start(
            () -> {
              List<CompletableFuture<InferenceResult>> futures = new ArrayList<>();
              try {
                for (InferenceRequest request : requests) {
                  CompletableFuture<InferenceResult> future = submit(request);
                  future.whenComplete(
                      (r, e) -> {
                        if (e != null) {
                          all.completeExceptionally(e);
                        }
                      });
                  futures.add(future);
                  if (all.isDone()) {
                    return;
                  }
                }
              } catch (RuntimeException e) {
                all.completeExceptionally(e);
                return;
              }
              CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new))
                  .whenComplete(
                      (v, e) -> {
                        if (e == null) {
                          all.complete(futures.stream().map(CompletableFuture::join).toList());
                        }
                      });
            });
    return all;
  }

  /**
   * Submits a streaming request ({@code stream = true}) with the default timeout and returns its
   * partial output as it is produced, and its final result.
   *
   * @throws IllegalArgumentException if the request did not ask for streaming
   */
  public StreamingResponse stream(InferenceRequest request) {
    return stream(request, defaultTimeout);
  }

  /** As {@link #stream(InferenceRequest)}, with the given timeout for the final result. */
  public StreamingResponse stream(InferenceRequest request, Duration timeout) {
    if (!request.getStream()) {
      throw new IllegalArgumentException("request " + request.getRequestId() + " has stream=false");
    }
    ChunkSource source = chunkSource();
    String requestId = request.getRequestId();
    ReplayPublisher<ResultChunk> publisher = source.watch(requestId);
    CompletableFuture<InferenceResult> result;
    try {
      result = submit(request, timeout);
    } catch (RuntimeException e) {
      source.finish(requestId, null, e);
      throw e;
    }
    result.whenComplete((r, e) -> source.finish(requestId, r, e));
    return new StreamingResponse(publisher, result);
  }

  private synchronized ChunkSource chunkSource() {
    ensureOpen();
    if (chunks == null) {
      String topic = tenant != null ? topics.tenantResultsStream(tenant) : topics.resultsStream();
      chunks = new ChunkSource(kafka, serdes, topic);
    }
    return chunks;
  }

  /**
   * Looks up the result of a request submitted earlier, e.g. by a previous run of this client:
   * reads the shared results topic's partition for the requestId (the default partitioner's choice
   * for the key) from its beginning, and keeps reading new records until the result shows up or the
   * timeout passes (then the future fails with a TimeoutException).
   *
   * <p>Cost: one consumer per call that reads a whole partition of the results topic (within its
   * retention), about 1/partitions of all results. Fine for recovering a few requests after a
   * restart; not meant as a lookup per request.
   */
  public CompletableFuture<InferenceResult> fetchResult(String requestId, Duration timeout) {
    Objects.requireNonNull(requestId, "requestId");
    ensureOpen();
    CompletableFuture<InferenceResult> found = new CompletableFuture<>();
    Thread.ofVirtual()
        .name("aibroker-client-fetch-" + requestId)
        .start(() -> scanForResult(requestId, Instant.now().plus(timeout), found));
    return found;
  }

  private void scanForResult(
      String requestId, Instant deadline, CompletableFuture<InferenceResult> found) {
    Map<String, Object> props =
        PollingThread.awaitingAnswers(PollingThread.withoutGroup(kafka, "earliest"));
    props.put("max.poll.records", 2_000);
    try (var consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), serdes.results().deserializer())) {
      String topic = tenant != null ? topics.tenantResults(tenant) : topics.results();
      int partitions = consumer.partitionsFor(topic, CONNECT_TIMEOUT).size();
      TopicPartition partition =
          new TopicPartition(topic, ChunkSource.partitionFor(requestId, partitions));
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      while (!closed && Instant.now().isBefore(deadline)) {
        for (ConsumerRecord<String, InferenceResult> record :
            consumer.poll(Duration.ofMillis(100))) {
          if (requestId.equals(record.key())
              || (record.value() != null && requestId.equals(record.value().getRequestId()))) {
            found.complete(record.value());
            return;
          }
        }
      }
      found.completeExceptionally(
          new TimeoutException("no result for " + requestId + " on " + partition.topic()));
    } catch (RuntimeException e) {
      found.completeExceptionally(e);
    }
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("the client is closed");
    }
  }

  private void awaitUsable() {
    Duration wait = Duration.between(Instant.now(), usableAt);
    if (!wait.isNegative() && !wait.isZero()) {
      try {
        Thread.sleep(wait);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    }
  }

  /**
   * Stops reading results (futures still pending fail), closes the Kafka clients and deletes the
   * reply topic the client created, unless asked to keep it.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    producer.close(Duration.ofSeconds(5));
    results.close();
    synchronized (this) {
      if (chunks != null) {
        chunks.close();
      }
    }
    if (admin != null) {
      try {
        if (deleteReplyTopic) {
          admin.deleteTopics(List.of(replyTopic)).all().get(10, TimeUnit.SECONDS);
        }
      } catch (ExecutionException | TimeoutException e) {
        // best effort: the topic's retention bounds what it keeps
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        admin.close(Duration.ofSeconds(5));
      }
    }
  }

  /** Settings of a client; see {@link AiBrokerClient#builder}. */
  public static final class Builder extends ClientSettings<Builder> {
    private String replyTopic;
    private String clientId;
    private int replyTopicPartitions = 1;
    // Kept by default: a broker may still be writing a late result to it, and writing to a
    // deleted topic stalls its producer. Retention (1 h) keeps the topic small.
    private boolean keepReplyTopic = true;
    private boolean sharedResults;
    private String tenant;
    private boolean tenantIngress;
    private Duration defaultTimeout = DEFAULT_TIMEOUT;
    private int maxInFlight = DEFAULT_MAX_IN_FLIGHT;

    private Builder(Map<String, Object> kafka, RecordSerdes serdes) {
      super(kafka, serdes);
    }

    @Override
    Builder self() {
      return this;
    }

    /** The reply topic's name (default {@code <prefix>.replies.<clientId>}). */
    public Builder replyTopic(String replyTopic) {
      if (!replyTopic.matches("[a-zA-Z0-9._-]{1,249}")) {
        throw new IllegalArgumentException("not a valid topic name: " + replyTopic);
      }
      this.replyTopic = replyTopic;
      return this;
    }

    /** The id in the default reply topic's name (default: client.id or "client", plus a UUID). */
    public Builder clientId(String clientId) {
      this.clientId = clientId.replaceAll("[^a-zA-Z0-9._-]", "_");
      return this;
    }

    /** Partitions of the reply topic when the client creates it (default 1). */
    public Builder replyTopicPartitions(int partitions) {
      if (partitions < 1) {
        throw new IllegalArgumentException("partitions must be positive");
      }
      this.replyTopicPartitions = partitions;
      return this;
    }

    /**
     * Keep the reply topic when the client closes (default: true). Set false only when no result
     * can still be on its way to it: a broker writing to a deleted topic stalls.
     */
    public Builder keepReplyTopic(boolean keep) {
      this.keepReplyTopic = keep;
      return this;
    }

    /** Read results from the shared results topic instead of a reply topic of its own. */
    public Builder useSharedResultsTopic() {
      this.sharedResults = true;
      return this;
    }

    /**
     * A client of one tenant that was granted topics of its own ({@code aibroker tenants grant}):
     * it publishes on {@code <prefix>.requests.<tenantId>}, reads its results from {@code
     * <prefix>.results.<tenantId>} and stream chunks from {@code
     * <prefix>.results.stream.<tenantId>}, the topics its principal may use, and creates no reply
     * topic.
     */
    public Builder tenant(String tenantId) {
      if (!Topics.canHaveOwnTopics(tenantId)) {
        throw new IllegalArgumentException(
            "tenant '" + tenantId + "' cannot have topics of its own (letters, digits, _ and -)");
      }
      this.tenant = tenantId;
      return this;
    }

    /**
     * For a trusted service publishing for many tenants (the HTTP API): each request goes to its
     * tenant's own request topic, which must exist, so the broker takes its tenant from the topic;
     * tenants whose ids cannot name a topic use the shared requests topic.
     */
    public Builder publishOnTenantTopics() {
      this.tenantIngress = true;
      return this;
    }

    /** Timeout of {@link AiBrokerClient#submit(InferenceRequest)} (default 2 minutes). */
    public Builder defaultTimeout(Duration timeout) {
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("timeout must be positive");
      }
      this.defaultTimeout = timeout;
      return this;
    }

    /** Submitted-but-unanswered requests allowed at once (default 1,000). */
    public Builder maxInFlight(int maxInFlight) {
      if (maxInFlight < 1) {
        throw new IllegalArgumentException("maxInFlight must be positive");
      }
      this.maxInFlight = maxInFlight;
      return this;
    }

    /** Connects the client (and creates its reply topic). */
    public AiBrokerClient build() {
      return new AiBrokerClient(this);
    }
  }
}
