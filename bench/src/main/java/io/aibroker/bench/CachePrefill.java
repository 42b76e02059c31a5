package io.aibroker.bench;

import io.aibroker.money.Usd;
import io.aibroker.records.InferenceResult;
import io.aibroker.records.Output;
import io.aibroker.records.ResultStatus;
import io.aibroker.records.internal.CacheEntry;
import io.aibroker.schemas.RecordSerdes;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Fills a broker's response cache with many entries quickly: writes them to the cache store's
 * changelog topic while the broker is stopped, so that the next start restores them into its stores
 * (pushing a million requests through the pipeline would take most of the time budget).
 */
final class CachePrefill {

  private CachePrefill() {}

  /** The changelog topic of the response cache of a broker with this application id. */
  static String changelog(String applicationId) {
    return applicationId + "-response-cache-changelog";
  }

  /** Writes {@code count} entries valid for an hour; returns the seconds it took. */
  static double write(String bootstrap, RecordSerdes serdes, String topic, long count) {
    Map<String, Object> p = new HashMap<>();
    p.put("bootstrap.servers", bootstrap);
    p.put("acks", "1");
    p.put("linger.ms", 20);
    p.put("batch.size", 262_144);
    p.put("compression.type", "lz4");
    Serializer<CacheEntry> values = serdes.of(CacheEntry.class).serializer();
    Instant now = Instant.now();
    Instant expires = now.plus(Duration.ofHours(1));
    SplittableRandom random = new SplittableRandom(42);
    HexFormat hex = HexFormat.of();
    long start = System.nanoTime();
    try (var producer = new KafkaProducer<>(p, new StringSerializer(), values)) {
      byte[] key = new byte[32];
      for (long i = 0; i < count; i++) {
        for (int b = 0; b < key.length; b += 8) {
          long r = random.nextLong();
          for (int j = 0; j < 8; j++) {
            key[b + j] = (byte) (r >>> (8 * j));
          }
        }
        InferenceResult result =
            InferenceResult.newBuilder()
                .setRequestId("prefill-" + i)
                .setTenantId("t" + (i % 1000))
                .setStatus(ResultStatus.SUCCEEDED)
                .setOutput(Output.newBuilder().setText("cached answer number " + i).build())
                .setProvider("simulated")
                .setProviderModel("sim-chat-1")
                .setCost(Usd.of(BigDecimal.ZERO))
                .setCompletedAt(now)
                .build();
        CacheEntry entry =
            CacheEntry.newBuilder()
                .setCachedResult(result)
                .setCost(Usd.of(BigDecimal.ZERO))
                .setExpiresAt(expires)
                .build();
        producer.send(new ProducerRecord<>(topic, hex.formatHex(key), entry));
      }
      producer.flush();
    }
    return (System.nanoTime() - start) / 1e9;
  }
}
