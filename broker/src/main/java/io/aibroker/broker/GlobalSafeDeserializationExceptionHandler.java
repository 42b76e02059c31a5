package io.aibroker.broker;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.apache.kafka.streams.processor.TaskId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs and skips records that do not deserialize, copying each to the DLQ with its cause in the
 * {@code __streams.errors.*} headers, on every input including the global tables (tenants, provider
 * health, shared cache, prices).
 *
 * <p>Why not Kafka Streams' own {@link LogAndContinueExceptionHandler} alone: in Kafka 4.3 the
 * global thread cannot send the dead letters that handler returns (it casts its context to a
 * record-collector supplier and dies with a ClassCastException), which stops the whole application
 * — and again on every restart, since global tables are re-read from the start. So for the global
 * thread this handler sends the dead letters itself, with a producer of its own, and hands Streams
 * none.
 */
public final class GlobalSafeDeserializationExceptionHandler
    extends LogAndContinueExceptionHandler {

  private static final Logger LOG =
      LoggerFactory.getLogger(GlobalSafeDeserializationExceptionHandler.class);
  private static final String PRODUCER_PREFIX = "producer.";

  private Map<String, Object> producerConfig = Map.of();
  private Producer<byte[], byte[]> producer;

  @Override
  public void configure(Map<String, ?> configs) {
    super.configure(configs);
    Set<String> known = ProducerConfig.configNames();
    Map<String, Object> config = new HashMap<>();
    configs.forEach(
        (key, value) -> {
          if (known.contains(key)) {
            config.put(key, value);
          }
        });
    configs.forEach(
        (key, value) -> {
          if (key.startsWith(PRODUCER_PREFIX)
              && known.contains(key.substring(PRODUCER_PREFIX.length()))) {
            config.put(key.substring(PRODUCER_PREFIX.length()), value);
          }
        });
    config.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
    config.put(ProducerConfig.CLIENT_ID_CONFIG, configs.get("application.id") + "-global-dlq");
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    this.producerConfig = config;
  }

  @Override
  public Response handleError(
      ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
    Response response = super.handleError(context, record, exception);
    if (!isGlobal(context.taskId()) || response.deadLetterQueueRecords().isEmpty()) {
      return response;
    }
    send(response.deadLetterQueueRecords(), context);
    return Response.resume();
  }

  private static boolean isGlobal(TaskId task) {
    return task == null || task.subtopology() < 0;
  }

  private synchronized void send(
      List<ProducerRecord<byte[], byte[]>> deadLetters, ErrorHandlerContext context) {
    try {
      if (producer == null) {
        producer =
            new KafkaProducer<>(
                producerConfig, new ByteArraySerializer(), new ByteArraySerializer());
      }
      for (ProducerRecord<byte[], byte[]> deadLetter : deadLetters) {
        producer.send(deadLetter).get(30, TimeUnit.SECONDS);
      }
    } catch (Exception e) {
      // The record is skipped either way; without its dead letter, the log line is what is left.
      LOG.error(
          "could not copy an unreadable record of {}-{}@{} to the DLQ: {}",
          context.topic(),
          context.partition(),
          context.offset(),
          e.toString());
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Closes the handler's own producer, if it ever needed one. */
  public synchronized void close() {
    if (producer != null) {
      producer.close(Duration.ofSeconds(5));
      producer = null;
    }
  }
}
