package io.aibroker.connector.simulated;

import io.aibroker.connector.CacheLifetime;
import io.aibroker.connector.ChatMessage;
import io.aibroker.connector.ProviderCall;
import io.aibroker.connector.TokenUsage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The simulated provider's prompt cache, behaving like Bedrock's: a call whose messages carry a
 * cache point writes the prompt up to and including the last such message to the cache (a cache
 * write, at the one-hour rate if that message asks for {@link CacheLifetime#ONE_HOUR}); a later
 * call with the same prefix on the same deployment and model, within the lifetime, reads it (a
 * cache read), which also keeps it alive for another lifetime. Calls without a cache point neither
 * read nor write.
 *
 * <p>Bounded: at most {@link #MAX_ENTRIES} prefixes, the least recently used leaving first, so
 * tenants cannot grow it without limit. Only a 64-bit fingerprint of each prefix is kept, never the
 * prompt. Thread-safe.
 */
final class PromptCache {

  /** Prefixes kept at most. */
  static final int MAX_ENTRIES = 10_000;

  private final Clock clock;
  private final Map<Long, Instant> expiries =
      new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Instant> eldest) {
          return size() > MAX_ENTRIES;
        }
      };

  PromptCache(Clock clock) {
    this.clock = clock;
  }

  /**
   * The usage of {@code call} with its cache reads and writes: {@code usage} as the model counted
   * it (all prompt tokens as input), split by what this cache held.
   */
  synchronized TokenUsage apply(ProviderCall call, TokenUsage usage) {
    List<ChatMessage> messages = call.messages();
    int last = -1;
    for (int i = 0; i < messages.size(); i++) {
      if (messages.get(i).cachePoint() != null) {
        last = i;
      }
    }
    if (last < 0) {
      return usage;
    }
    Fingerprint prefix =
        new Fingerprint().add(String.valueOf(call.deployment())).add(call.providerModel());
    long prefixTokens = 0;
    for (int i = 0; i <= last; i++) {
      ChatMessage message = messages.get(i);
      prefix.add(message.role()).add(message.content());
      prefixTokens += SimulatedModel.inputTokens(message.content());
    }
    prefixTokens = Math.min(prefixTokens, usage.inputTokens());
    CacheLifetime lifetime = messages.get(last).cachePoint();
    Instant now = clock.instant();
    Instant expiry = expiries.get(prefix.value());
    expiries.put(prefix.value(), now.plus(duration(lifetime)));
    if (expiry != null && now.isBefore(expiry)) {
      return usage.withCache(prefixTokens, 0, 0);
    }
    return usage.withCache(0, prefixTokens, lifetime == CacheLifetime.ONE_HOUR ? prefixTokens : 0);
  }

  /** How many prefixes are held (expired ones included until they are pushed out). */
  synchronized int size() {
    return expiries.size();
  }

  private static Duration duration(CacheLifetime lifetime) {
    return lifetime == CacheLifetime.ONE_HOUR ? Duration.ofHours(1) : Duration.ofMinutes(5);
  }
}
