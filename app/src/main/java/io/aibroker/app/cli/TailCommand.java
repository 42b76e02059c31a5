package io.aibroker.app.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aibroker.app.config.AppConfig;
import io.aibroker.app.config.ComponentConfigs;
import io.aibroker.records.InferenceResult;
import io.aibroker.records.Output;
import io.aibroker.records.ResultStatus;
import io.aibroker.records.UsageEvent;
import io.aibroker.registry.RestSchemaRegistryClient;
import io.aibroker.registry.SchemaRegistryClient;
import io.aibroker.registry.SchemaRegistryConfig;
import io.aibroker.schemas.RecordSerdes;
import io.aibroker.topics.DeadLetterHeaders;
import io.aibroker.topics.Topics;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code aibroker tail results|usage|dlq}: prints one readable line per record of a topic as it
 * arrives, until Ctrl-C, {@code --max} records or {@code --wait} without a new record. Prompts and
 * outputs are left out unless {@code --show-content}.
 */
@Command(
    name = "tail",
    mixinStandardHelpOptions = true,
    description = {
      "Follows results, usage events or dead letters, one line per record, until Ctrl-C.",
      "Results: time, requestId, tenant, status, reason, provider/model, tokens (in+out), cost,"
          + " latency. Usage: time, tenant, model, provider/model, tokens, cost, cache hit."
          + " DLQ: time, source topic-partition@offset, cause, key, value size."
    })
public final class TailCommand implements Callable<Integer> {

  /** The topics {@code tail} can follow. */
  public enum Kind {
    /** aibroker.results. */
    RESULTS,
    /** aibroker.usage. */
    USAGE,
    /** aibroker.dlq. */
    DLQ
  }

  /** Reads {@code results}, {@code usage} or {@code dlq}. */
  static final class KindConverter extends LowerCaseEnumConverter<Kind> {
    KindConverter() {
      super(Kind.class);
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  @Mixin ConfigOptions options;

  @Parameters(
      index = "0",
      paramLabel = "TOPIC",
      converter = KindConverter.class,
      completionCandidates = KindConverter.class,
      description = "What to follow: ${COMPLETION-CANDIDATES}.")
  Kind kind;

  @Option(
      names = "--from-beginning",
      description = "Start with the oldest record instead of the next new one.")
  boolean fromBeginning;

  @Option(
      names = "--tenant",
      description = "Only this tenant's records (for dlq: records whose key is the tenant).")
  String tenant;

  @Option(names = "--max", paramLabel = "N", description = "Stop after N records.")
  Long max;

  @Option(
      names = "--wait",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "Stop after this long without a new record (default: follow until Ctrl-C).")
  Duration idle;

  @Option(names = "--json", description = "Print each record as one JSON object.")
  boolean json;

  @Option(
      names = "--show-content",
      description = "Include outputs (results) and record values (dlq); hidden by default.")
  boolean showContent;

  @Override
  public Integer call() throws Exception {
    AppConfig config = options.load(Map.of());
    Topics topics = ComponentConfigs.topics(config);
    PrintStream out = System.out;
    RestSchemaRegistryClient registry =
        kind == Kind.DLQ
            ? null
            : new RestSchemaRegistryClient(SchemaRegistryConfig.of(Endpoints.registryUrl(config)));
    try {
      Formatter formatter = formatter(registry);
      String topic =
          switch (kind) {
            case RESULTS -> topics.results();
            case USAGE -> topics.usage();
            case DLQ -> topics.dlq();
          };
      follow(Endpoints.kafkaClient(config), topic, formatter, out);
      return 0;
    } finally {
      if (registry != null) {
        registry.close();
      }
    }
  }

  /** Turns a record into a line, or null to skip it. */
  interface Formatter {
    String format(ConsumerRecord<byte[], byte[]> record);
  }

  /**
   * The line to print for a record, or null to skip it. Every line, text or JSON, holds values
   * anyone who writes a record may choose, so its control characters are escaped.
   */
  static String printableLine(Formatter formatter, ConsumerRecord<byte[], byte[]> record) {
    return ControlCharacters.escape(formatter.format(record));
  }

  /** The formatter of this command's kind and options; DLQ lines need no registry (null). */
  Formatter formatter(SchemaRegistryClient registry) {
    return switch (kind) {
      case RESULTS -> {
        Deserializer<InferenceResult> values = new RecordSerdes(registry).results().deserializer();
        yield r -> readable(r, values, this::result);
      }
      case USAGE -> {
        Deserializer<UsageEvent> values = new RecordSerdes(registry).usage().deserializer();
        yield r -> readable(r, values, this::usage);
      }
      case DLQ -> r -> deadLetter(DeadLetter.of(r));
    };
  }

  private <V> String readable(
      ConsumerRecord<byte[], byte[]> record, Deserializer<V> values, Function<V, String> format) {
    V value;
    try {
      value = values.deserialize(record.topic(), record.value());
    } catch (RuntimeException e) {
      return tenant != null
          ? null
          : "<unreadable record at "
              + record.topic()
              + "-"
              + record.partition()
              + "@"
              + record.offset()
              + ": "
              + oneLine(e.getMessage())
              + ">";
    }
    return value == null ? null : format.apply(value);
  }

  private void follow(
      Map<String, Object> client, String topic, Formatter formatter, PrintStream out) {
    Map<String, Object> props = new HashMap<>(client);
    props.put("enable.auto.commit", false);
    props.put("isolation.level", "read_committed");
    props.put("allow.auto.create.topics", false);
    try (var consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      var infos = consumer.partitionsFor(topic, Duration.ofSeconds(15));
      if (infos == null || infos.isEmpty()) {
        throw new IllegalStateException(
            "topic " + topic + " does not exist; 'aibroker run' creates it on start");
      }
      List<TopicPartition> partitions =
          infos.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
      consumer.assign(partitions);
      if (fromBeginning) {
        consumer.seekToBeginning(partitions);
      } else {
        consumer.seekToEnd(partitions);
      }
      partitions.forEach(consumer::position);
      Thread main = Thread.currentThread();
      Thread hook =
          new Thread(
              () -> {
                consumer.wakeup();
                try {
                  main.join(5_000);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              });
      Runtime.getRuntime().addShutdownHook(hook);
      try {
        poll(consumer, formatter, out);
      } catch (WakeupException e) {
        // Ctrl-C
      } finally {
        out.flush();
        try {
          Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
          // shutting down already
        }
      }
    }
  }

  private void poll(KafkaConsumer<byte[], byte[]> consumer, Formatter formatter, PrintStream out) {
    long printed = 0;
    long lastRecord = System.nanoTime();
    while (max == null || printed < max) {
      var records = consumer.poll(Duration.ofMillis(200));
      for (ConsumerRecord<byte[], byte[]> record : records) {
        lastRecord = System.nanoTime();
        String line = printableLine(formatter, record);
        if (line != null) {
          out.println(line);
          printed++;
          if (max != null && printed >= max) {
            return;
          }
        }
      }
      out.flush();
      if (idle != null && System.nanoTime() - lastRecord > idle.toNanos()) {
        return;
      }
    }
  }

  private String result(InferenceResult result) {
    if (tenant != null && !tenant.equals(result.getTenantId())) {
      return null;
    }
    if (json) {
      return RecordJson.toJson(showContent ? result : withoutContent(result));
    }
    StringBuilder line =
        new StringBuilder()
            .append(result.getCompletedAt())
            .append("  ")
            .append(result.getRequestId())
            .append("  ")
            .append(result.getTenantId())
            .append("  ")
            .append(result.getStatus())
            .append("  ")
            .append(result.getReason() == null ? "-" : result.getReason())
            .append("  ")
            .append(providerModel(result.getProvider(), result.getProviderModel()))
            .append("  ")
            .append(
                result.getUsage() == null
                    ? "tokens -"
                    : "tokens "
                        + result.getUsage().getInputTokens()
                        + "+"
                        + result.getUsage().getOutputTokens()
                        + tokenClasses(
                            result.getUsage().getCacheReadInputTokens(),
                            result.getUsage().getCacheWriteInputTokens(),
                            result.getUsage().getCacheWrite1hInputTokens(),
                            result.getUsage().getReasoningTokens()))
            .append("  ")
            .append(money(result.getCost()))
            .append("  ")
            .append(result.getTimings() == null ? "-" : result.getTimings().getTotalMs() + "ms");
    if (result.getCached()) {
      line.append("  cached");
    }
    if (result.getMessage() != null && result.getStatus() != ResultStatus.SUCCEEDED) {
      line.append("  ").append(quoted(result.getMessage()));
    }
    if (showContent && result.getOutput() != null) {
      Output output = result.getOutput();
      if (output.getText() != null) {
        line.append("  ").append(quoted(output.getText()));
      } else if (!output.getEmbeddings().isEmpty()) {
        line.append("  ").append(output.getEmbeddings().size()).append(" embedding(s)");
      }
    }
    return line.toString();
  }

  private static InferenceResult withoutContent(InferenceResult result) {
    if (result.getOutput() == null) {
      return result;
    }
    Output output =
        Output.newBuilder(result.getOutput()).setText(null).setEmbeddings(List.of()).build();
    return InferenceResult.newBuilder(result).setOutput(output).build();
  }

  private String usage(UsageEvent event) {
    if (tenant != null && !tenant.equals(event.getTenantId())) {
      return null;
    }
    if (json) {
      return RecordJson.toJson(event);
    }
    return usageLine(event);
  }

  /**
   * One usage event for people: time, tenant, model, provider/model, tokens (with their cache and
   * reasoning classes when there are any), cost, cache hit, status and the price version.
   */
  static String usageLine(UsageEvent event) {
    return event.getOccurredAt()
        + "  "
        + event.getTenantId()
        + "  "
        + event.getModel()
        + "  "
        + providerModel(event.getProvider(), event.getProviderModel())
        + "  tokens "
        + event.getInputTokens()
        + "+"
        + event.getOutputTokens()
        + tokenClasses(
            event.getCacheReadInputTokens(),
            event.getCacheWriteInputTokens(),
            event.getCacheWrite1hInputTokens(),
            event.getReasoningTokens())
        + "  "
        + money(event.getCost())
        + "  "
        + (event.getCacheHit() ? "cache-hit" : "cache-miss")
        + "  "
        + event.getStatus()
        + "  price "
        + event.getPriceVersion();
  }

  /** The token classes that are not zero, e.g. {@code " (cache-read 1000, reasoning 320)"}. */
  static String tokenClasses(long cacheRead, long cacheWrite, long cacheWrite1h, long reasoning) {
    List<String> classes = new ArrayList<>();
    if (cacheRead > 0) {
      classes.add("cache-read " + cacheRead);
    }
    if (cacheWrite > 0) {
      classes.add(
          "cache-write " + cacheWrite + (cacheWrite1h > 0 ? " (1h " + cacheWrite1h + ")" : ""));
    }
    if (reasoning > 0) {
      classes.add("reasoning " + reasoning);
    }
    return classes.isEmpty() ? "" : " (" + String.join(", ", classes) + ")";
  }

  private String deadLetter(DeadLetter letter) {
    if (tenant != null && !tenant.equals(letter.keyText())) {
      return null;
    }
    if (json) {
      ObjectNode node = JSON.createObjectNode();
      node.put("time", letter.time().toString());
      node.put("dlqPartition", letter.dlqPartition());
      node.put("dlqOffset", letter.dlqOffset());
      node.put("sourceTopic", letter.sourceTopic());
      node.put("sourcePartition", letter.sourcePartition());
      node.put("sourceOffset", letter.sourceOffset());
      node.put("cause", letter.cause());
      node.put("key", letter.key() == null ? null : letter.keyText());
      node.put("valueSize", letter.value() == null ? 0 : letter.value().length);
      ObjectNode headers = node.putObject("headers");
      for (Header header : letter.headers()) {
        if (!header.key().equals(DeadLetterHeaders.STREAMS_STACKTRACE)) {
          headers.put(
              header.key(),
              header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8));
        }
      }
      if (showContent && letter.value() != null) {
        node.put("valueBase64", Base64.getEncoder().encodeToString(letter.value()));
      }
      return node.toString();
    }
    String line =
        letter.time()
            + "  "
            + letter.source()
            + "  "
            + oneLine(letter.cause())
            + "  key="
            + letter.keyText()
            + "  value="
            + (letter.value() == null ? "null" : letter.value().length + " bytes");
    if (showContent && letter.value() != null) {
      line += "  " + Base64.getEncoder().encodeToString(letter.value());
    }
    return line;
  }

  private static String providerModel(String provider, String model) {
    if (provider == null && model == null) {
      return "-";
    }
    return (provider == null ? "-" : provider) + "/" + (model == null ? "-" : model);
  }

  private static String money(BigDecimal cost) {
    return cost == null ? "$-" : "$" + cost.stripTrailingZeros().toPlainString();
  }

  private static String quoted(String text) {
    try {
      return JSON.writeValueAsString(text);
    } catch (JsonProcessingException e) {
      return oneLine(text);
    }
  }

  static String oneLine(String text) {
    return text == null ? "" : text.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
  }
}
