/*
 * Summarises the execution samples of a Java Flight Recorder file, as docs/PERFORMANCE.md's
 * profile table of issue 16 shows them. A single-file program on the JDK's jdk.jfr.consumer API:
 *
 *   bin/aibroker bench --scenarios latency --latency-rates 500 --jfr --work-dir /tmp/prof500
 *   java bench/tools/JfrSummary.java /tmp/prof500/eos.jfr 'StreamThread-\d+'
 *   java bench/tools/JfrSummary.java /tmp/prof500/kafka.jfr 'request-handler-\d+'
 *
 * Prints the share of all execution samples per thread (digits folded), then, for the threads
 * whose name ends with the pattern: the share of their samples under each marker frame
 * (inclusive: a sample counts under every marker on its stack), their top frames, what they were
 * doing when sampled in native code (mostly waiting in epoll), the Kafka request types handled
 * (for the Kafka child), and the top frames of the whole JVM.
 */

import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

public class JfrSummary {

  /** Marker name, and a substring of the frame (class.method) it stands for. */
  static final String[][] MARKERS = {
    {"consumer poll", "org.apache.kafka.clients.consumer.KafkaConsumer.poll"},
    {"share consumer poll", "KafkaShareConsumer.poll"},
    {"commit (maybeCommit)", "StreamThread.maybeCommit"},
    {"punctuate", "StreamThread.maybePunctuate"},
    {"process records", "StreamTask.process"},
    {"  ... admit (aibroker)", "AdmitRequestProcessor.process"},
    {"  ... complete (aibroker)", "CompleteRequestProcessor.process"},
    {"  ... roll-ups (aibroker)", "UsageRollupProcessor"},
    {"  ... tenant ingress (aibroker)", "TenantIngressProcessor.process"},
    {"KafkaProducer.send", "KafkaProducer.send"},
    {"Avro (encode or decode)", "org.apache.avro"},
    {"state store reads and writes", "MeteredKeyValueStore"},
    {"  ... record cache", "org.apache.kafka.streams.state.internals.NamedCache"},
    {"  ... RocksDB", "org.rocksdb"},
    {"record cache flush", "ThreadCache.flush"},
    {"deserialize input", "RecordDeserializer.deserialize"},
    {"Micrometer", "io.micrometer"},
    {"Jackson", "com.fasterxml.jackson"},
  };

  static final Pattern KAFKA_API = Pattern.compile("kafka\\.server\\.KafkaApis\\.handle[A-Z]\\w*");

  public static void main(String[] args) throws Exception {
    Path file = Path.of(args[0]);
    Pattern threads = Pattern.compile(".*" + (args.length > 1 ? args[1] : "StreamThread-\\d+"));
    Map<String, Integer> perThread = new HashMap<>();
    Map<String, Integer> markers = new LinkedHashMap<>();
    Map<String, Integer> topChosen = new HashMap<>();
    Map<String, Integer> topAll = new HashMap<>();
    Map<String, Integer> nativeChosen = new HashMap<>();
    Map<String, Integer> apis = new HashMap<>();
    int all = 0;
    int chosen = 0;
    int nativeCount = 0;
    for (RecordedEvent event : RecordingFile.readAllEvents(file)) {
      String type = event.getEventType().getName();
      boolean execution = type.equals("jdk.ExecutionSample");
      if (!execution && !type.equals("jdk.NativeMethodSample")) {
        continue;
      }
      RecordedThread thread = event.getThread("sampledThread");
      String name = thread == null || thread.getJavaName() == null ? "?" : thread.getJavaName();
      RecordedStackTrace stack = event.getStackTrace();
      List<RecordedFrame> frames = stack == null ? List.of() : stack.getFrames();
      boolean ofChosen = threads.matcher(name).matches();
      if (!execution) {
        if (ofChosen && !frames.isEmpty()) {
          nativeCount++;
          nativeChosen.merge(signature(frames.getFirst()), 1, Integer::sum);
        }
        continue;
      }
      all++;
      perThread.merge(name.replaceAll("\\d+", "N"), 1, Integer::sum);
      if (!frames.isEmpty()) {
        topAll.merge(signature(frames.getFirst()), 1, Integer::sum);
      }
      if (!ofChosen) {
        continue;
      }
      chosen++;
      if (!frames.isEmpty()) {
        topChosen.merge(signature(frames.getFirst()), 1, Integer::sum);
      }
      Set<String> hit = new HashSet<>();
      String api = null;
      for (RecordedFrame frame : frames) {
        String signature = signature(frame);
        for (String[] marker : MARKERS) {
          if (signature.contains(marker[1])) {
            hit.add(marker[0]);
          }
        }
        if (KAFKA_API.matcher(signature).matches()) {
          api = signature; // the outermost one
        }
      }
      hit.forEach(h -> markers.merge(h, 1, Integer::sum));
      if (api != null) {
        apis.merge(api, 1, Integer::sum);
      }
    }
    System.out.printf("%s: %d execution samples%n-- threads%n", file, all);
    print(perThread, all, 15);
    System.out.printf(
        "-- threads matching %s: %d execution samples (%.1f %% of all), %d native samples%n",
        threads.pattern(), chosen, 100.0 * chosen / Math.max(1, all), nativeCount);
    for (String[] marker : MARKERS) {
      Integer count = markers.get(marker[0]);
      if (count != null) {
        System.out.printf("%6.1f %%  %s%n", 100.0 * count / chosen, marker[0]);
      }
    }
    if (!apis.isEmpty()) {
      System.out.println("-- Kafka request types handled (share of the matching threads' samples)");
      print(apis, chosen, 15);
    }
    System.out.println("-- top frames of the matching threads");
    print(topChosen, chosen, 15);
    System.out.println("-- in native code (waiting, or JNI), matching threads");
    print(nativeChosen, nativeCount, 6);
    System.out.println("-- top frames, all threads");
    print(topAll, all, 15);
  }

  static void print(Map<String, Integer> counts, int total, int limit) {
    counts.entrySet().stream()
        .sorted((a, b) -> b.getValue() - a.getValue())
        .limit(limit)
        .forEach(e -> System.out.printf("%6.1f %%  %s%n", 100.0 * e.getValue() / total, e.getKey()));
  }

  static String signature(RecordedFrame frame) {
    return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
  }
}
