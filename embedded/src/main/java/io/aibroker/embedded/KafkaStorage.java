package io.aibroker.embedded;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import kafka.server.KafkaConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Formats KRaft storage the way {@code kafka-storage.sh format} does, but only directories that are
 * not formatted yet: re-formatting with a new cluster id would make an existing data dir unusable.
 */
final class KafkaStorage {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaStorage.class);
  static final String META_PROPERTIES = "meta.properties";

  private KafkaStorage() {}

  /**
   * Makes sure every log dir (and the metadata log dir) of {@code config} is formatted and returns
   * the cluster id they share.
   *
   * @param wantedClusterId id for a fresh format; {@code null} picks a random one. If the storage
   *     is already formatted with another id, startup fails rather than silently using a different
   *     cluster.
   */
  static String ensureFormatted(KafkaConfig config, String wantedClusterId) {
    return ensureFormatted(config, wantedClusterId, List.of());
  }

  /**
   * As {@link #ensureFormatted(KafkaConfig, String)}, also writing these SCRAM credentials ({@code
   * kafka-storage format --add-scram} arguments) into the bootstrap metadata of a fresh format.
   */
  static String ensureFormatted(
      KafkaConfig config, String wantedClusterId, List<String> scramArguments) {
    List<String> dirs = new ArrayList<>(config.logDirs());
    if (!dirs.contains(config.metadataLogDir())) {
      dirs.add(config.metadataLogDir());
    }
    Optional<String> existing = Optional.empty();
    List<String> unformatted = new ArrayList<>();
    for (String dir : dirs) {
      Optional<String> id = readClusterId(Path.of(dir));
      if (id.isEmpty()) {
        unformatted.add(dir);
      } else if (existing.isPresent() && !existing.get().equals(id.get())) {
        throw new IllegalStateException(
            "Log dirs belong to different clusters: " + existing.get() + " and " + id.get());
      } else {
        existing = id;
      }
    }
    if (existing.isPresent()
        && wantedClusterId != null
        && !wantedClusterId.equals(existing.get())) {
      throw new IllegalStateException(
          "Data dir is formatted for cluster "
              + existing.get()
              + ", not the configured "
              + wantedClusterId);
    }
    String clusterId =
        existing.orElse(wantedClusterId != null ? wantedClusterId : Uuid.randomUuid().toString());
    if (!unformatted.isEmpty()) {
      // The formatter skips dirs that already carry meta.properties (ignoreFormatted).
      format(config, clusterId, dirs, scramArguments);
    }
    return clusterId;
  }

  /** Reads {@code cluster.id} from a log dir's meta.properties, if the dir was formatted. */
  static Optional<String> readClusterId(Path logDir) {
    Path meta = logDir.resolve(META_PROPERTIES);
    if (!Files.isRegularFile(meta)) {
      return Optional.empty();
    }
    Properties props = new Properties();
    try (InputStream in = Files.newInputStream(meta)) {
      props.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + meta, e);
    }
    return Optional.ofNullable(props.getProperty("cluster.id"));
  }

  private static void format(
      KafkaConfig config, String clusterId, List<String> dirs, List<String> scramArguments) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Formatter formatter =
        new Formatter()
            .setPrintStream(new PrintStream(out, true, StandardCharsets.UTF_8))
            .setNodeId(config.nodeId())
            .setClusterId(clusterId)
            .setControllerListenerName(config.controllerListenerNames().get(0))
            .setMetadataLogDirectory(config.metadataLogDir())
            .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
            .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
            .setUnstableFeatureVersionsEnabled(config.unstableFeatureVersionsEnabled())
            // Dirs of this set that are formatted already have the same cluster id (checked).
            .setIgnoreFormatted(true);
    if (!scramArguments.isEmpty()) {
      formatter.setScramArguments(scramArguments);
    }
    dirs.forEach(formatter::addDirectory);
    try {
      formatter.run();
    } catch (Exception e) {
      throw new IllegalStateException("Formatting Kafka storage in " + dirs + " failed", e);
    }
    if (scramArguments.isEmpty()) {
      LOG.info(
          "Formatted Kafka storage {} for cluster {}: {}",
          dirs,
          clusterId,
          out.toString(StandardCharsets.UTF_8).strip());
    } else {
      // The formatter's output lists the bootstrap records, SCRAM salts and keys among them.
      LOG.info(
          "Formatted Kafka storage {} for cluster {} with {} SCRAM credential(s)",
          dirs,
          clusterId,
          scramArguments.size());
    }
  }
}
