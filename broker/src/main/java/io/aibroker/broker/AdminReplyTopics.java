package io.aibroker.broker;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Knows the cluster's topics through an Admin client, refreshing its list at most every few seconds
 * when asked about a name it has not seen, so a client's freshly created reply topic is found
 * without a lookup per request.
 *
 * <p>A topic it knows is trusted for {@link #MAX_AGE} only: a result sent to a topic deleted in the
 * meantime cannot be delivered, and the exactly-once producer's transaction waits for it until the
 * producer's {@code delivery.timeout.ms}, then aborts and the result is produced again (without the
 * copy). Every result of the stream thread waits meanwhile, so the window is kept short.
 */
public final class AdminReplyTopics implements ReplyTopics, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(AdminReplyTopics.class);
  private static final Duration MIN_REFRESH = Duration.ofMillis(250);
  private static final Duration MAX_AGE = Duration.ofSeconds(2);

  private final Admin admin;
  private final Clock clock;
  private volatile Set<String> known = Set.of();
  private volatile Instant refreshedAt = Instant.EPOCH;

  /** Uses (and closes) the given admin client. */
  public AdminReplyTopics(Admin admin, Clock clock) {
    this.admin = admin;
    this.clock = clock;
  }

  @Override
  public boolean exists(String topic) {
    if (clock.instant().isAfter(refreshedAt.plus(MAX_AGE))) {
      refreshIfStale(); // also forgets topics deleted since the last look
    } else if (!known.contains(topic)) {
      refreshIfStale();
    }
    return known.contains(topic);
  }

  private synchronized void refreshIfStale() {
    Instant now = clock.instant();
    if (now.isBefore(refreshedAt.plus(MIN_REFRESH))) {
      return;
    }
    refreshedAt = now;
    try {
      known = admin.listTopics().names().get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.warn("could not list topics to check a replyTo topic: {}", e.toString());
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public void close() {
    admin.close(Duration.ofSeconds(5));
  }
}
