package io.aibroker.broker;

import io.aibroker.records.DispatchRequest;
import io.aibroker.records.InferenceRequest;
import io.aibroker.records.InferenceResult;
import io.aibroker.records.Output;
import io.aibroker.records.PriceList;
import io.aibroker.records.ProviderHealth;
import io.aibroker.records.ProviderOutcome;
import io.aibroker.records.Route;
import io.aibroker.records.TenantPolicy;
import io.aibroker.records.TokenUsage;
import io.aibroker.records.UsageEvent;
import io.aibroker.records.UsageRollup;
import io.aibroker.registry.InMemorySchemaRegistryClient;
import io.aibroker.schemas.RecordSerdes;
import io.aibroker.testing.MutableClock;
import io.aibroker.topics.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

/** The broker topology in a TopologyTestDriver, with typed topics and a clock the test moves. */
final class BrokerHarness implements AutoCloseable {

  final Topics topics = Topics.defaults();
  final MutableClock clock = new MutableClock(TestRequests.NOW);
  final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  final TopologyTestDriver driver;
  final TestInputTopic<String, InferenceRequest> requests;
  final TestInputTopic<String, ProviderOutcome> outcomes;
  final TestInputTopic<String, TenantPolicy> tenants;
  final TestInputTopic<String, ProviderHealth> health;
  final TestInputTopic<String, PriceList> prices;
  final TestOutputTopic<String, DispatchRequest> dispatch;
  final TestOutputTopic<String, DispatchRequest> fallbackDispatch;
  final TestOutputTopic<String, InferenceResult> results;
  final TestOutputTopic<String, UsageEvent> usage;
  final TestOutputTopic<String, UsageRollup> rollups;
  private final RecordSerdes serdes = new RecordSerdes(new InMemorySchemaRegistryClient());
  private final String applicationId;

  BrokerHarness(TenantDefaults defaults, Set<String> replyTopics) {
    this(defaults, replyTopics, Tenancy.defaults());
  }

  BrokerHarness(TenantDefaults defaults, Set<String> replyTopics, Tenancy tenancy) {
    BrokerConfig config = TestRequests.config(defaults).withTenancy(tenancy);
    applicationId = config.applicationId();
    Properties props = new Properties();
    props.putAll(config.streamsProperties(Map.of("bootstrap.servers", "unused:9092")));
    props.put(StreamsConfig.STATE_DIR_CONFIG, privateStateDir());
    driver =
        new TopologyTestDriver(
            BrokerTopology.build(
                config, serdes, new BrokerMetrics(meters), replyTopics::contains, clock),
            props);
    var keys = new StringSerializer();
    requests = driver.createInputTopic(topics.requests(), keys, serdes.requests().serializer());
    outcomes = driver.createInputTopic(topics.outcomes(), keys, serdes.outcomes().serializer());
    tenants = driver.createInputTopic(topics.tenants(), keys, serdes.tenants().serializer());
    health = driver.createInputTopic(topics.providerHealth(), keys, serdes.health().serializer());
    prices =
        driver.createInputTopic(topics.prices(), keys, serdes.of(PriceList.class).serializer());
    dispatch = output(topics.dispatch("simulated"), serdes.dispatches());
    fallbackDispatch = output(topics.dispatch("backup"), serdes.dispatches());
    results = output(topics.results(), serdes.results());
    usage = output(topics.usage(), serdes.usage());
    rollups = output(topics.usageRollups(), serdes.rollups());
  }

  /**
   * A state directory of this driver's own: under the default one, drivers of concurrent test runs
   * on one machine (same application id) would fight over RocksDB's locks.
   */
  static String privateStateDir() {
    try {
      Path dir = Files.createTempDirectory("aibroker-broker-test");
      dir.toFile().deleteOnExit();
      return dir.toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Lets the rollup processor publish the windows changed so far (a wall-clock punctuation). */
  void publishRollups() {
    driver.advanceWallClockTime(UsageRollupProcessor.PUBLISH_INTERVAL);
  }

  /** A tenant's own request topic, as {@code tenants grant} creates it. */
  TestInputTopic<String, InferenceRequest> tenantRequests(String tenant) {
    return driver.createInputTopic(
        topics.tenantRequests(tenant), new StringSerializer(), serdes.requests().serializer());
  }

  /** A tenant's own results topic. */
  TestOutputTopic<String, InferenceResult> tenantResults(String tenant) {
    return output(topics.tenantResults(tenant), serdes.results());
  }

  <T> TestOutputTopic<String, T> output(
      String topic, org.apache.kafka.common.serialization.Serde<T> serde) {
    return driver.createOutputTopic(topic, new StringDeserializer(), serde.deserializer());
  }

  /** The changelog topic of a store, named as Kafka Streams names it. */
  <T> TestOutputTopic<String, T> changelog(
      String store, org.apache.kafka.common.serialization.Serde<T> serde) {
    return output(applicationId + "-" + store + "-changelog", serde);
  }

  RecordSerdes serdes() {
    return serdes;
  }

  void send(InferenceRequest request) {
    requests.pipeInput(request.getTenantId(), request);
  }

  /** Completes a dispatched request successfully with the given token counts. */
  void succeed(DispatchRequest dispatched, long in, long out) {
    outcomes.pipeInput(
        dispatched.getTenantId(),
        success(
            dispatched.getRequestId(),
            dispatched.getTenantId(),
            dispatched.getRoute(),
            dispatched.getAttempt(),
            in,
            out));
  }

  static ProviderOutcome success(
      String requestId, String tenant, Route route, int attempt, long in, long out) {
    return ProviderOutcome.newBuilder()
        .setRequestId(requestId)
        .setTenantId(tenant)
        .setRoute(route)
        .setAttempt(attempt)
        .setSuccess(true)
        .setOutput(
            Output.newBuilder().setText("answer to " + requestId).setFinishReason("stop").build())
        .setUsage(new TokenUsage(in, out, 0L, 0L, 0L, 0L))
        .setProviderMs(20)
        .setCompletedAt(TestRequests.NOW)
        .build();
  }

  @Override
  public void close() {
    driver.close();
  }
}
