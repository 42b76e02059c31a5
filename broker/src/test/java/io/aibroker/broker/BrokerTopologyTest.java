package io.aibroker.broker;

import static io.aibroker.broker.TestRequests.NOW;
import static io.aibroker.broker.TestRequests.chat;
import static org.assertj.core.api.Assertions.assertThat;

import io.aibroker.records.DispatchRequest;
import io.aibroker.records.ErrorClass;
import io.aibroker.records.InferenceRequest;
import io.aibroker.records.InferenceResult;
import io.aibroker.records.Output;
import io.aibroker.records.ProviderError;
import io.aibroker.records.ProviderOutcome;
import io.aibroker.records.ReasonCode;
import io.aibroker.records.ResultStatus;
import io.aibroker.records.Route;
import io.aibroker.records.TokenUsage;
import io.aibroker.records.UsageEvent;
import io.aibroker.registry.InMemorySchemaRegistryClient;
import io.aibroker.schemas.RecordSerdes;
import io.aibroker.topics.Topics;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BrokerTopologyTest {

  private final Topics topics = Topics.defaults();
  private final RecordSerdes serdes = new RecordSerdes(new InMemorySchemaRegistryClient());
  private TopologyTestDriver driver;
  private TestInputTopic<String, InferenceRequest> requests;
  private TestInputTopic<String, ProviderOutcome> outcomes;
  private TestOutputTopic<String, DispatchRequest> dispatchPrimary;
  private TestOutputTopic<String, DispatchRequest> dispatchFallback;
  private TestOutputTopic<String, InferenceResult> results;
  private TestOutputTopic<String, UsageEvent> usage;

  @BeforeEach
  void startDriver() {
    BrokerConfig config = TestRequests.config(TenantDefaults.unlimited());
    Properties props = new Properties();
    props.putAll(config.streamsProperties(java.util.Map.of("bootstrap.servers", "unused:9092")));
    props.put("state.dir", BrokerHarness.privateStateDir());
    driver =
        new TopologyTestDriver(
            BrokerTopology.build(
                config,
                serdes,
                new BrokerMetrics(new io.micrometer.core.instrument.simple.SimpleMeterRegistry()),
                topic -> true,
                Clock.fixed(NOW, ZoneOffset.UTC)),
            props);
    var keys = new StringSerializer();
    requests = driver.createInputTopic(topics.requests(), keys, serdes.requests().serializer());
    outcomes = driver.createInputTopic(topics.outcomes(), keys, serdes.outcomes().serializer());
    var keyReader = new StringDeserializer();
    dispatchPrimary =
        driver.createOutputTopic(
            topics.dispatch("simulated"), keyReader, serdes.dispatches().deserializer());
    dispatchFallback =
        driver.createOutputTopic(
            topics.dispatch("backup"), keyReader, serdes.dispatches().deserializer());
    results =
        driver.createOutputTopic(topics.results(), keyReader, serdes.results().deserializer());
    usage = driver.createOutputTopic(topics.usage(), keyReader, serdes.usage().deserializer());
  }

  @AfterEach
  void closeDriver() {
    driver.close();
  }

  @Test
  void dispatchesAValidRequestToItsFirstRouteKeyedByRequestId() {
    requests.pipeInput("acme", chat("r1", "acme", "hello").build());

    var dispatched = dispatchPrimary.readKeyValue();
    assertThat(dispatched.key).isEqualTo("r1");
    assertThat(dispatched.value.getRoute()).isEqualTo(TestRequests.PRIMARY);
    assertThat(dispatched.value.getFallbacks()).containsExactly(TestRequests.FALLBACK);
    assertThat(dispatched.value.getAttempt()).isEqualTo(1);
    assertThat(results.isEmpty()).isTrue();
  }

  @Test
  void rejectsAnInvalidRequestWithAReason() {
    requests.pipeInput("acme", chat("r1", "acme", "hello").setModel("nope").build());

    InferenceResult result = results.readValue();
    assertThat(result.getStatus()).isEqualTo(ResultStatus.REJECTED);
    assertThat(result.getReason()).isEqualTo(ReasonCode.UNKNOWN_MODEL);
    assertThat(result.getMessage()).contains("nope");
    assertThat(dispatchPrimary.isEmpty()).isTrue();
  }

  @Test
  void rekeysARequestPublishedUnderAnotherKeyByItsTenant() {
    requests.pipeInput("some-other-key", chat("r1", "acme", "hello").build());

    // the request takes one hop through requests.by-tenant (the test driver pipes it back)
    var byTenant =
        driver.createOutputTopic(
            topics.requestsByTenant(), new StringDeserializer(), serdes.requests().deserializer());
    assertThat(byTenant.readKeyValue().key).isEqualTo("acme");
    assertThat(dispatchPrimary.readKeyValue().key).isEqualTo("r1");
  }

  @Test
  void aSuccessfulOutcomeGivesOneResultAndOnePricedUsageEvent() {
    requests.pipeInput("acme", chat("r1", "acme", "hello").build());
    dispatchPrimary.readValue();

    outcomes.pipeInput("acme", success("r1", TestRequests.PRIMARY, 1, 1_000, 500));

    InferenceResult result = results.readValue();
    assertThat(result.getStatus()).isEqualTo(ResultStatus.SUCCEEDED);
    assertThat(result.getOutput().getText()).isEqualTo("hi there");
    assertThat(result.getCost()).isEqualByComparingTo(new BigDecimal("0.002")); // 1000*1 + 500*2
    UsageEvent event = usage.readValue();
    assertThat(event.getTenantId()).isEqualTo("acme");
    assertThat(event.getCost()).isEqualByComparingTo(result.getCost());
    assertThat(event.getPriceVersion()).isEqualTo("test-1");
    assertThat(event.getInputTokens()).isEqualTo(1_000);
  }

  @Test
  void aRedeliveredOutcomeIsDropped() {
    requests.pipeInput("acme", chat("r1", "acme", "hello").build());
    outcomes.pipeInput("acme", success("r1", TestRequests.PRIMARY, 1, 10, 10));
    outcomes.pipeInput("acme", success("r1", TestRequests.PRIMARY, 1, 10, 10));

    assertThat(results.readValuesToList()).hasSize(1);
    assertThat(usage.readValuesToList()).hasSize(1);
  }

  @Test
  void aRequestDeliveredTwiceIsDispatchedOnce() {
    var request = chat("r1", "acme", "hello").build();
    requests.pipeInput("acme", request);
    requests.pipeInput("acme", request);

    assertThat(dispatchPrimary.readValuesToList()).hasSize(1);
  }

  @Test
  void aRetryableFailureFailsOverToTheNextRoute() {
    requests.pipeInput("acme", chat("r1", "acme", "hello").build());
    outcomes.pipeInput("acme", failure("r1", TestRequests.PRIMARY, 1, ErrorClass.RETRYABLE, 503));

    DispatchRequest next = dispatchFallback.readValue();
    assertThat(next.getRoute()).isEqualTo(TestRequests.FALLBACK);
    assertThat(next.getAttempt()).isEqualTo(2);
    assertThat(results.isEmpty()).isTrue();

    outcomes.pipeInput("acme", success("r1", TestRequests.FALLBACK, 2, 1_000, 0));
    InferenceResult result = results.readValue();
    assertThat(result.getProvider()).isEqualTo("backup");
    assertThat(result.getAttempts()).isEqualTo(2);
    assertThat(usage.readValue().getCost()).isEqualByComparingTo(new BigDecimal("0.003"));
  }

  @Test
  void aTerminalFailureEndsFailedWithoutUsage() {
    requests.pipeInput("acme", chat("r1", "acme", "hello").build());
    outcomes.pipeInput("acme", failure("r1", TestRequests.PRIMARY, 1, ErrorClass.TERMINAL, 400));

    InferenceResult result = results.readValue();
    assertThat(result.getStatus()).isEqualTo(ResultStatus.FAILED);
    assertThat(result.getReason()).isEqualTo(ReasonCode.PROVIDER_ERROR);
    assertThat(dispatchFallback.isEmpty()).isTrue();
    assertThat(usage.isEmpty()).isTrue();
  }

  @Test
  void bytesThatDoNotDeserializeDoNotStopTheBroker() {
    var raw =
        driver.createInputTopic(
            topics.requests(), new StringSerializer(), new ByteArraySerializer());
    raw.pipeInput("acme", "not avro at all".getBytes(StandardCharsets.UTF_8));
    requests.pipeInput("acme", chat("r2", "acme", "hello").build());

    // (the DLQ record itself is checked on a real broker, in BrokerPipelineIT)
    assertThat(dispatchPrimary.readValue().getRequestId()).isEqualTo("r2");
  }

  private static ProviderOutcome success(
      String requestId, Route route, int attempt, long in, long out) {
    return ProviderOutcome.newBuilder()
        .setRequestId(requestId)
        .setTenantId("acme")
        .setRoute(route)
        .setAttempt(attempt)
        .setSuccess(true)
        .setOutput(Output.newBuilder().setText("hi there").setFinishReason("stop").build())
        .setUsage(new TokenUsage(in, out, 0L, 0L, 0L, 0L))
        .setProviderMs(20)
        .setCompletedAt(NOW)
        .build();
  }

  private static ProviderOutcome failure(
      String requestId, Route route, int attempt, ErrorClass errorClass, int status) {
    return ProviderOutcome.newBuilder()
        .setRequestId(requestId)
        .setTenantId("acme")
        .setRoute(route)
        .setAttempt(attempt)
        .setSuccess(false)
        .setError(
            ProviderError.newBuilder()
                .setErrorClass(errorClass)
                .setCode("E" + status)
                .setHttpStatus(status)
                .setMessage("provider said no")
                .build())
        .setCompletedAt(NOW)
        .build();
  }
}
