package io.aibroker.reliability;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Sizes of the reliability runs, from system properties ({@code -Dreliability.requests=20000} on
 * the Maven command line reaches the test JVM). The defaults are the short versions that run in the
 * README's test command; {@code reliability/run.sh} passes the full ones.
 *
 * @param requests requests the crash matrix sends
 * @param ratePerSecond steady send rate
 * @param tenants tenants the requests are spread over
 * @param workerKills SIGKILLs of a worker during the crash matrix
 * @param appKills SIGKILLs of the broker app
 * @param kafkaKills SIGKILLs of a Kafka broker
 * @param providerLatency base latency of the simulated provider (jitter is half of it)
 * @param resultTimeout how long after the last send every result must have arrived
 * @param queueDeadline the deadline of the queue tenants' requests, from their creation: the last
 *     of them ends (served or EXPIRED) this long after the last send at the latest, so it sets the
 *     crash matrix's wait for its results
 * @param soakDuration how long the soak runs
 * @param soakWarmup samples before this are not used for growth rates
 * @param soakSampleEvery how often the soak samples heap, RSS and state size
 * @param soakRatePerSecond the soak's send rate
 * @param outputDir where reports and logs go
 */
record ReliabilitySettings(
    int requests,
    int ratePerSecond,
    int tenants,
    int workerKills,
    int appKills,
    int kafkaKills,
    Duration providerLatency,
    Duration resultTimeout,
    Duration queueDeadline,
    Duration soakDuration,
    Duration soakWarmup,
    Duration soakSampleEvery,
    int soakRatePerSecond,
    Path outputDir) {

  static ReliabilitySettings fromSystemProperties() {
    return new ReliabilitySettings(
        intProperty("reliability.requests", 2_000),
        intProperty("reliability.rate", 40),
        intProperty("reliability.tenants", 40),
        intProperty("reliability.worker-kills", 1),
        intProperty("reliability.app-kills", 1),
        intProperty("reliability.kafka-kills", 1),
        Duration.ofMillis(intProperty("reliability.provider-latency-ms", 1000)),
        Duration.ofSeconds(intProperty("reliability.result-timeout-s", 180)),
        // The short run waits out the last queued request's deadline after its last send: 20 s
        // (was 60) still has each queue tenant's backlog admitted one by one as capacity frees
        // and overflow into EXPIRED, a restart of the short matrix takes 10-15 s; the full run
        // (run.sh) keeps 60 s.
        Duration.ofSeconds(intProperty("reliability.queue-deadline-s", 20)),
        Duration.ofSeconds(intProperty("reliability.soak.seconds", 180)),
        Duration.ofSeconds(intProperty("reliability.soak.warmup-s", 60)),
        Duration.ofSeconds(intProperty("reliability.soak.sample-s", 10)),
        intProperty("reliability.soak.rate", 50),
        Path.of(System.getProperty("reliability.output", "target/reliability")).toAbsolutePath());
  }

  private static int intProperty(String name, int defaultValue) {
    String value = System.getProperty(name);
    if (value == null || value.isBlank()) {
      return defaultValue;
    }
    try {
      return Integer.parseInt(value.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a whole number, was " + value, e);
    }
  }
}
