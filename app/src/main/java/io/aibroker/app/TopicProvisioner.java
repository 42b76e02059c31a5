package io.aibroker.app;

import io.aibroker.broker.BrokerConfig;
import io.aibroker.topics.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates aibroker's topics (docs/ARCHITECTURE.md) when missing, compacted where the design says
 * so, and prepares the workers' share group to start from the earliest record and to read committed
 * dispatches only.
 */
public final class TopicProvisioner {

  private static final Logger LOG = LoggerFactory.getLogger(TopicProvisioner.class);

  /**
   * Record size limit of the topics that carry a whole request onward (re-keyed requests, dispatch,
   * DLQ): a request that fits on the ingress topic must also fit there with the fields the broker
   * adds, or the broker's task would fail on it again and again.
   */
  public static final int CARRIER_MAX_MESSAGE_BYTES = BrokerConfig.CARRIER_MAX_MESSAGE_BYTES;

  /**
   * Retention of the usage rollups topic, its own rather than the cluster's default (often 7 days),
   * so that usage reports never silently shrink: longer than the longest report, which is {@code
   * GET /v1/usage}'s view of this month and the twelve before it (at most 397 days back), with
   * slack. The broker rewrites a window's rollup as it changes, so the topic holds every version
   * until they expire; rollups are small.
   */
  public static final Duration USAGE_ROLLUPS_RETENTION = Duration.ofDays(400);

  private final Admin admin;
  private final Topics topics;
  private final int partitions;
  private final short replicationFactor;

  /** A provisioner using the given admin client and sizing. */
  public TopicProvisioner(Admin admin, Topics topics, int partitions, short replicationFactor) {
    this.admin = admin;
    this.topics = topics;
    this.partitions = partitions;
    this.replicationFactor = replicationFactor;
  }

  /** Creates the topics that do not exist yet; returns the names it created. */
  public List<String> ensureTopics(Collection<String> providers) throws InterruptedException {
    Set<String> existing = get(admin.listTopics().names());
    List<NewTopic> missing = new ArrayList<>();
    for (String name : topics.all(List.copyOf(providers))) {
      if (!existing.contains(name)) {
        missing.add(newTopic(name));
      }
    }
    if (!missing.isEmpty()) {
      try {
        get(admin.createTopics(missing).all());
      } catch (IllegalStateException e) {
        if (!(e.getCause() instanceof TopicExistsException)) {
          throw e; // another instance creating them at the same time is fine
        }
      }
      LOG.info("created topics {}", missing.stream().map(NewTopic::name).toList());
    }
    if (existing.contains(topics.usageRollups())) {
      keepRollups();
    }
    return missing.stream().map(NewTopic::name).toList();
  }

  /**
   * Gives a rollups topic created before it had a retention of its own {@link
   * #USAGE_ROLLUPS_RETENTION}; one an operator set is left alone. Without the right to change topic
   * configs only a warning is logged: the topic then keeps the cluster's retention.
   */
  private void keepRollups() throws InterruptedException {
    var topic = new ConfigResource(ConfigResource.Type.TOPIC, topics.usageRollups());
    try {
      Config config = get(admin.describeConfigs(List.of(topic)).all()).get(topic);
      ConfigEntry retention = config.get("retention.ms");
      if (retention != null
          && retention.source() == ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG) {
        return;
      }
      var set =
          new AlterConfigOp(
              new ConfigEntry("retention.ms", Long.toString(USAGE_ROLLUPS_RETENTION.toMillis())),
              AlterConfigOp.OpType.SET);
      get(admin.incrementalAlterConfigs(Map.of(topic, List.of(set))).all());
      LOG.info("set retention.ms of {} to {}", topics.usageRollups(), USAGE_ROLLUPS_RETENTION);
    } catch (IllegalStateException e) {
      LOG.warn(
          "cannot give {} its retention of {} ({}); it keeps the cluster's, and usage older than"
              + " that is lost: set retention.ms on it",
          topics.usageRollups(),
          USAGE_ROLLUPS_RETENTION,
          e.getMessage());
    }
  }

  /**
   * Creates a tenant's own topics that do not exist yet (see {@link Topics#tenantTopics}); returns
   * the names it created. Idempotent.
   */
  public List<String> ensureTenantTopics(String tenantId, int tenantPartitions)
      throws InterruptedException {
    return ensure(topics.tenantTopics(tenantId), tenantPartitions);
  }

  /** Creates the tenants' own request topics that do not exist yet (the HTTP API's tenants). */
  public List<String> ensureTenantRequestTopics(Collection<String> tenantIds)
      throws InterruptedException {
    List<String> names =
        tenantIds.stream()
            .filter(Topics::canHaveOwnTopics)
            .distinct()
            .map(topics::tenantRequests)
            .toList();
    return ensure(names, partitions);
  }

  private List<String> ensure(List<String> names, int topicPartitions) throws InterruptedException {
    Set<String> existing = get(admin.listTopics().names());
    List<NewTopic> missing = new ArrayList<>();
    for (String name : names) {
      if (!existing.contains(name)) {
        missing.add(
            new NewTopic(name, topicPartitions, replicationFactor)
                .configs(replicationFactor > 1 ? Map.of("min.insync.replicas", "2") : Map.of()));
      }
    }
    for (NewTopic topic : missing) {
      try {
        get(admin.createTopics(List.of(topic)).all());
      } catch (IllegalStateException e) {
        if (!(e.getCause() instanceof TopicExistsException)) {
          throw e;
        }
      }
    }
    if (!missing.isEmpty()) {
      LOG.info("created topics {}", missing.stream().map(NewTopic::name).toList());
    }
    return missing.stream().map(NewTopic::name).toList();
  }

  private NewTopic newTopic(String name) {
    NewTopic topic = new NewTopic(name, partitions, replicationFactor);
    Map<String, String> configs = new LinkedHashMap<>();
    if (topics.compacted().contains(name)) {
      configs.put("cleanup.policy", "compact");
    }
    if (replicationFactor > 1) {
      configs.put("min.insync.replicas", "2");
    }
    if (carriesWholeRequests(name)) {
      configs.put("max.message.bytes", Integer.toString(CARRIER_MAX_MESSAGE_BYTES));
    }
    if (name.equals(topics.usageRollups())) {
      configs.put("retention.ms", Long.toString(USAGE_ROLLUPS_RETENTION.toMillis()));
    }
    if (!configs.isEmpty()) {
      topic.configs(configs);
    }
    return topic;
  }

  private boolean carriesWholeRequests(String name) {
    return name.equals(topics.requestsByTenant())
        || name.equals(topics.dlq())
        || name.equals(topics.batchJobs())
        || name.startsWith(topics.prefix() + ".dispatch.");
  }

  /**
   * Prepares the workers' share group:
   *
   * <ul>
   *   <li>it starts at the earliest record: share groups start at the latest offset by default, and
   *       workers must see every dispatch written before they first joined;
   *   <li>it reads committed records only: the broker writes dispatches inside exactly-once
   *       transactions, and with the default (read_uncommitted) workers called providers for
   *       dispatches of transactions that were then aborted (a broker app killed mid-transaction),
   *       so the retried transaction's dispatch made a second provider call (found by the crash
   *       matrix, docs/RELIABILITY.md).
   * </ul>
   */
  public void prepareShareGroup(String groupId) throws InterruptedException {
    var resource = new ConfigResource(ConfigResource.Type.GROUP, groupId);
    List<AlterConfigOp> ops =
        List.of(
            new AlterConfigOp(
                new ConfigEntry("share.auto.offset.reset", "earliest"), AlterConfigOp.OpType.SET),
            new AlterConfigOp(
                new ConfigEntry("share.isolation.level", "read_committed"),
                AlterConfigOp.OpType.SET));
    get(admin.incrementalAlterConfigs(Map.of(resource, ops)).all());
  }

  private static <T> T get(KafkaFuture<T> future) throws InterruptedException {
    try {
      return future.get();
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
    }
  }
}
