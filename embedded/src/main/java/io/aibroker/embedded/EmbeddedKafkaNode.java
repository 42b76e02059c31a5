package io.aibroker.embedded;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.utils.Time;

/**
 * One KRaft node (a broker or a controller) as the main class of its own JVM, so that a test can
 * kill it with SIGKILL like a real crash. {@link EmbeddedKafkaCluster} launches these.
 *
 * <p>Arguments: the path of a properties file with the node's Kafka settings, and the cluster id.
 * The node formats its storage only when {@code meta.properties} is missing (re-formatting would
 * give it a new identity the rest of the cluster refuses), prints {@value #READY_PREFIX} and its
 * node id once {@link KafkaRaftServer#startup()} returned (for a broker: registered and unfenced),
 * and shuts down cleanly on SIGTERM.
 */
public final class EmbeddedKafkaNode {

  /** The line a node prints on stdout once it serves, followed by its node id. */
  public static final String READY_PREFIX = "aibroker kafka node ready: ";

  private EmbeddedKafkaNode() {}

  /**
   * Starts the node and blocks until it is stopped.
   *
   * @param args the properties file and the cluster id
   */
  public static void main(String[] args) throws IOException {
    if (args.length != 2) {
      System.err.println("usage: EmbeddedKafkaNode <node.properties> <cluster-id>");
      System.exit(2);
    }
    KafkaConfig config = new KafkaConfig(load(Path.of(args[0])), false);
    KafkaStorage.ensureFormatted(config, args[1]);
    KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.shutdown();
                  server.awaitShutdown();
                },
                "kafka-node-shutdown"));
    server.startup();
    System.out.println(READY_PREFIX + config.nodeId());
    System.out.flush();
    server.awaitShutdown();
  }

  private static Map<String, String> load(Path file) throws IOException {
    Properties props = new Properties();
    try (InputStream in = Files.newInputStream(file)) {
      props.load(in);
    }
    Map<String, String> map = new TreeMap<>();
    props.stringPropertyNames().forEach(name -> map.put(name, props.getProperty(name)));
    return map;
  }
}
