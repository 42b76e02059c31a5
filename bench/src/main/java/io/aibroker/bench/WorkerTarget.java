package io.aibroker.bench;

import io.aibroker.records.ChatMessage;
import io.aibroker.records.DispatchRequest;
import io.aibroker.records.GenerationParams;
import io.aibroker.records.InferenceRequest;
import io.aibroker.records.ProviderOutcome;
import io.aibroker.records.Route;
import io.aibroker.records.Task;
import io.aibroker.schemas.RecordSerdes;
import io.aibroker.topics.Topics;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Workers alone: {@code DispatchRequest}s written straight to the simulated provider's dispatch
 * topic (what the broker would write), answers are the workers' {@code ProviderOutcome}s.
 */
final class WorkerTarget extends LoadTarget<String, ProviderOutcome> {

  private static final Route ROUTE =
      new Route("simulated", "local", "sim-chat-1", "standard", null);

  private final KafkaProducer<String, DispatchRequest> producer;
  private final String dispatchTopic;

  private WorkerTarget(
      KafkaConsumer<String, ProviderOutcome> consumer,
      KafkaProducer<String, DispatchRequest> producer,
      Topics topics) {
    super(consumer, topics.outcomes());
    this.producer = producer;
    this.dispatchTopic = topics.dispatch(ROUTE.getProvider());
  }

  static WorkerTarget connect(String bootstrap, RecordSerdes serdes, String prefix) {
    Topics topics = new Topics(prefix);
    Map<String, Object> p = new HashMap<>();
    p.put("bootstrap.servers", bootstrap);
    p.put("acks", "all");
    p.put("enable.idempotence", true);
    p.put("linger.ms", 5);
    Map<String, Object> c = new HashMap<>();
    c.put("bootstrap.servers", bootstrap);
    c.put("enable.auto.commit", false);
    c.put("fetch.max.wait.ms", 100);
    return new WorkerTarget(
        new KafkaConsumer<>(c, new StringDeserializer(), serdes.outcomes().deserializer()),
        new KafkaProducer<>(p, new StringSerializer(), serdes.dispatches().serializer()),
        topics);
  }

  @Override
  void send(String runId, long sequence) {
    String requestId = runId + "-" + sequence;
    Instant now = Instant.now();
    InferenceRequest request =
        InferenceRequest.newBuilder()
            .setRequestId(requestId)
            .setTenantId("w" + (sequence % 100))
            .setTask(Task.CHAT)
            .setModel("chat-default")
            .setMessages(List.of(new ChatMessage("user", "worker capacity " + sequence, null)))
            .setParams(GenerationParams.newBuilder().setMaxTokens(16).build())
            .setCreatedAt(now)
            .build();
    DispatchRequest dispatch =
        DispatchRequest.newBuilder()
            .setRequestId(requestId)
            .setTenantId(request.getTenantId())
            .setRequest(request)
            .setRoute(ROUTE)
            .setAttempt(1)
            .setFallbacks(new ArrayList<>())
            .setDispatchedAt(now)
            .build();
    producer.send(new ProducerRecord<>(dispatchTopic, requestId, dispatch));
  }

  @Override
  Answer answer(String key, ProviderOutcome outcome) {
    return outcome == null ? null : parseId(outcome.getRequestId(), outcome.getSuccess(), false);
  }

  @Override
  void flush() {
    producer.flush();
  }

  @Override
  public void close() throws InterruptedException {
    producer.close();
    super.close();
  }
}
