package io.aibroker.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.aibroker.client.AiBrokerClient;
import io.aibroker.records.ChatMessage;
import io.aibroker.records.InferenceRequest;
import io.aibroker.records.InferenceResult;
import io.aibroker.records.Task;
import io.aibroker.registry.RestSchemaRegistryClient;
import io.aibroker.registry.SchemaRegistryClient;
import io.aibroker.registry.SchemaRegistryConfig;
import io.aibroker.schemas.RecordSerdes;
import io.aibroker.topics.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;

/** Talks to an aibroker platform by its addresses only, as any outside client would. */
final class ExternalPlatform {

  private ExternalPlatform() {}

  static InferenceResult submit(String bootstrap, String registryUrl, String text)
      throws Exception {
    try (var client =
        new AiBrokerClient(
            Map.of("bootstrap.servers", bootstrap), serdes(registryUrl), Topics.defaults())) {
      InferenceRequest request =
          InferenceRequest.newBuilder()
              .setRequestId(UUID.randomUUID().toString())
              .setTenantId("acme")
              .setTask(Task.CHAT)
              .setModel("chat-default")
              .setMessages(List.of(new ChatMessage("user", text, null)))
              .setCreatedAt(Instant.now())
              .build();
      return client.submit(request, Duration.ofSeconds(60)).get();
    }
  }

  static RecordSerdes serdes(String registryUrl) {
    return new RecordSerdes(registry(registryUrl));
  }

  static SchemaRegistryClient registry(String url) {
    return new RestSchemaRegistryClient(SchemaRegistryConfig.of(url));
  }

  static Map<String, Integer> schemaIds(String registryUrl) {
    SchemaRegistryClient registry = registry(registryUrl);
    Map<String, Integer> ids = new TreeMap<>();
    for (String subject : registry.subjects()) {
      ids.put(subject, registry.getLatest(subject).id());
    }
    assertThat(ids).containsKeys("aibroker.requests-value", "aibroker.results-value");
    return ids;
  }

  static List<String> topicNames(String bootstrap) throws Exception {
    try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", bootstrap))) {
      return admin.listTopics().names().get().stream().sorted().toList();
    }
  }

  static List<String> resultIds(String bootstrap, String registryUrl, Topics topics) {
    var deserializer = serdes(registryUrl).results().deserializer();
    return TopicReader.readAll(bootstrap, topics.results()).stream()
        .map(r -> deserializer.deserialize(topics.results(), r.value()).getRequestId())
        .toList();
  }
}
