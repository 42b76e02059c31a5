package io.aibroker.app.prices;

import io.aibroker.records.PriceList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Seeds the prices topic with the configured versions at start. A configured version is written
 * only when the topic does not hold that version id yet: a version changed live ({@code aibroker
 * prices set --replace} or {@code import --replace}) is never overwritten by a restart, and one
 * withdrawn with a tombstone is not brought back while the tombstone lasts. Starting twice writes
 * nothing the second time.
 */
public final class PriceSeeder {

  private static final Logger LOG = LoggerFactory.getLogger(PriceSeeder.class);

  private PriceSeeder() {}

  /** Writes the configured versions the topic does not know; returns them. */
  public static List<PriceList> seed(PriceTopic prices, List<PriceList> configured) {
    PriceTopic.Snapshot current = prices.read();
    List<PriceList> missing =
        configured.stream().filter(v -> !current.knows(v.getVersion())).toList();
    if (!missing.isEmpty()) {
      prices.write(missing);
      LOG.info(
          "seeded {} with price versions {}",
          prices.topic(),
          missing.stream().map(PriceList::getVersion).toList());
    }
    return missing;
  }
}
