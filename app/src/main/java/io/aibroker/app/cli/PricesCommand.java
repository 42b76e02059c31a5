package io.aibroker.app.cli;

import picocli.CommandLine.Command;

/**
 * {@code aibroker prices}: the price catalog on the compacted prices topic, from which the broker
 * prices each completed request by the version in effect at that moment. Changes take effect live.
 */
@Command(
    name = "prices",
    mixinStandardHelpOptions = true,
    description = {
      "Reads and changes the price catalog: versions of USD per million tokens by provider model"
          + " and service tier, each effective from an instant.",
      "The broker prices each request by the version in effect when it completed, and its usage"
          + " event names that version. Changes take effect without a restart; the configured"
          + " versions (prices.versions) seed the catalog at start."
    },
    subcommands = {PricesListCommand.class, PricesSetCommand.class, PricesImportCommand.class})
public final class PricesCommand {

  /** Exit code when a version is refused (its id exists) or not found. */
  public static final int EXIT_REFUSED = 2;
}
