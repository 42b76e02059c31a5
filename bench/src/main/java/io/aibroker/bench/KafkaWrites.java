package io.aibroker.bench;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

/**
 * Records written to Kafka per request, by topic: a measure of the pipeline's cost that, unlike
 * throughput, does not depend on what else runs on the machine. Counts the end offsets of every
 * topic of one app (its prefix) and of its broker's changelogs; transaction markers are included,
 * as they take a slot in the log too.
 */
final class KafkaWrites {

  /** The group of all the broker's changelogs together. */
  static final String CHANGELOGS = "changelogs (broker stores)";

  /** How the group of one store's changelog starts; the store's name follows. */
  static final String CHANGELOG_PREFIX = "changelogs: ";

  private KafkaWrites() {}

  /**
   * End offsets summed per topic group, divided by the records of the requests topic: topic group
   * -> records per request. Groups: the app's own topics by name, all changelogs together ({@link
   * #CHANGELOGS}) and each store's changelog ({@link #CHANGELOG_PREFIX} + store name), which the
   * total counts once.
   */
  static Map<String, Double> perRequest(String bootstrap, String prefix, String applicationId)
      throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      List<String> topics =
          admin.listTopics().names().get(30, TimeUnit.SECONDS).stream()
              .filter(t -> t.startsWith(prefix + ".") || t.startsWith(applicationId + "-"))
              .toList();
      Map<TopicPartition, OffsetSpec> specs = new HashMap<>();
      admin
          .describeTopics(topics)
          .allTopicNames()
          .get(30, TimeUnit.SECONDS)
          .forEach(
              (name, description) ->
                  description
                      .partitions()
                      .forEach(
                          p ->
                              specs.put(
                                  new TopicPartition(name, p.partition()), OffsetSpec.latest())));
      Map<String, Long> byGroup = new TreeMap<>();
      admin
          .listOffsets(specs)
          .all()
          .get(30, TimeUnit.SECONDS)
          .forEach(
              (partition, info) -> {
                String topic = partition.topic();
                String group =
                    topic.startsWith(applicationId + "-") && topic.endsWith("-changelog")
                        ? CHANGELOG_PREFIX
                            + topic.substring(
                                applicationId.length() + 1, topic.length() - "-changelog".length())
                        : topic.startsWith(applicationId + "-")
                            ? topic
                            : topic.substring(prefix.length() + 1);
                byGroup.merge(group, info.offset(), Long::sum);
              });
      long requests = byGroup.getOrDefault("requests", 0L);
      Map<String, Double> perRequest = new LinkedHashMap<>();
      if (requests == 0) {
        return perRequest;
      }
      long total = 0;
      long changelogs = 0;
      for (var entry : byGroup.entrySet()) {
        if (entry.getKey().startsWith(CHANGELOG_PREFIX)) {
          changelogs += entry.getValue();
        }
      }
      perRequest.put(CHANGELOGS, changelogs / (double) requests);
      for (var entry : byGroup.entrySet()) {
        if (entry.getValue() > 0) {
          perRequest.put(entry.getKey(), entry.getValue() / (double) requests);
          total += entry.getValue();
        }
      }
      perRequest.put("all topics", total / (double) requests);
      perRequest.put("requests counted", (double) requests);
      return perRequest;
    }
  }
}
