package io.aibroker.app.cli;

import io.aibroker.records.OverLimitAction;
import io.aibroker.records.TenantPolicy;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code aibroker tenants}: reads and writes tenant policies (limits, budgets, models, cache) on
 * the compacted tenants topic, from which the broker applies them live.
 */
@Command(
    name = "tenants",
    mixinStandardHelpOptions = true,
    description = {
      "Reads and writes tenant policies: rate limits, budgets, allowed models and cache settings.",
      "The broker applies changes live; settings a tenant leaves unset use the configured defaults."
    },
    subcommands = {
      TenantsCommand.SetCommand.class,
      TenantsCommand.GetCommand.class,
      TenantsCommand.ListCommand.class,
      TenantsCommand.DeleteCommand.class,
      TenantGrantCommand.class,
      TenantRevokeCommand.class
    })
public final class TenantsCommand {

  /** Exit code when the tenant has no policy. */
  public static final int EXIT_UNKNOWN_TENANT = 2;

  private static final String TENANT_DESCRIPTION =
      "Tenant id: 1-128 letters, digits and . _ : @ / + = -";

  private static String checkTenant(CommandSpec spec, String tenant) {
    try {
      return TenantIds.check(tenant);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  private static int unknown(CommandSpec spec, String tenant) {
    spec.commandLine()
        .getErr()
        .println(
            "aibroker: tenant "
                + tenant
                + " has no policy (its requests use the configured defaults)");
    return EXIT_UNKNOWN_TENANT;
  }

  /** {@code aibroker tenants set}. */
  @Command(
      name = "set",
      mixinStandardHelpOptions = true,
      description = {
        "Creates or changes a tenant's policy and prints it as JSON.",
        "Settings not given keep their current value; --clear resets settings to the defaults."
      },
      exitCodeListHeading = "Exit codes:%n",
      exitCodeList = {"0:the policy was written", "1:invalid input or connection error"})
  static final class SetCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Mixin ConfigOptions options;

    @Parameters(paramLabel = "TENANT", description = TENANT_DESCRIPTION)
    String tenant;

    @Option(names = "--rpm", paramLabel = "N", description = "Requests admitted per minute.")
    Integer rpm;

    @Option(
        names = "--tpm",
        paramLabel = "N",
        description = "Tokens per minute (prompt estimate + max output, reconciled with actual).")
    Long tpm;

    @Option(
        names = "--max-concurrent",
        paramLabel = "N",
        description = "Requests in flight at once.")
    Integer maxConcurrent;

    @Option(
        names = "--daily-budget-usd",
        paramLabel = "USD",
        converter = UsdConverter.class,
        description = "Spend allowed per UTC day, e.g. 25 or 12.50.")
    BigDecimal dailyBudget;

    @Option(
        names = "--monthly-budget-usd",
        paramLabel = "USD",
        converter = UsdConverter.class,
        description = "Spend allowed per UTC month.")
    BigDecimal monthlyBudget;

    @Option(
        names = "--over-limit",
        paramLabel = "ACTION",
        converter = OverLimitConverter.class,
        completionCandidates = OverLimitConverter.class,
        description =
            "Over a limit: reject at once (with retryAfterMs) or queue until capacity frees or"
                + " the deadline passes. One of: ${COMPLETION-CANDIDATES}.")
    OverLimitAction overLimit;

    @Option(
        names = "--allowed-models",
        paramLabel = "MODEL",
        split = ",",
        description = "Models the tenant may use, comma-separated; replaces the current list.")
    List<String> allowedModels;

    @Option(
        names = "--cache-ttl",
        paramLabel = "DURATION",
        converter = DurationConverter.class,
        description = "How long cached answers live when a request gives no TTL, e.g. 1h.")
    Duration cacheTtl;

    @Option(
        names = "--cache-shared",
        negatable = true,
        description =
            "Share cached answers with other sharing tenants; --no-cache-shared keeps the cache"
                + " to this tenant (the default).")
    Boolean cacheShared;

    @Option(
        names = "--clear",
        paramLabel = "LIMIT",
        split = ",",
        converter = TenantField.Converter.class,
        completionCandidates = TenantField.Names.class,
        description =
            "Reset settings to the configured defaults, comma-separated. One of:"
                + " ${COMPLETION-CANDIDATES}.")
    List<TenantField> clear;

    @Override
    public Integer call() {
      checkTenant(spec, tenant);
      TenantPolicyChange change = change();
      try (TenantStore store = new TenantStore(options.load(Map.of()))) {
        TenantPolicy current = store.get(tenant).orElse(null);
        TenantPolicy updated = change.applyTo(current, tenant, Instant.now());
        store.put(updated);
        System.out.println(RecordJson.toJson(updated));
        return 0;
      }
    }

    private TenantPolicyChange change() {
      try {
        return new TenantPolicyChange(
            rpm,
            tpm,
            maxConcurrent,
            dailyBudget,
            monthlyBudget,
            overLimit,
            allowedModels,
            cacheTtl,
            cacheShared,
            clear == null ? EnumSet.noneOf(TenantField.class) : EnumSet.copyOf(clear));
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), e.getMessage());
      }
    }
  }

  /** {@code aibroker tenants get}. */
  @Command(
      name = "get",
      mixinStandardHelpOptions = true,
      description = "Prints a tenant's policy as JSON.",
      exitCodeListHeading = "Exit codes:%n",
      exitCodeList = {
        "0:the policy was printed",
        "1:invalid input or connection error",
        "2:the tenant has no policy"
      })
  static final class GetCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Mixin ConfigOptions options;

    @Parameters(paramLabel = "TENANT", description = TENANT_DESCRIPTION)
    String tenant;

    @Override
    public Integer call() {
      checkTenant(spec, tenant);
      try (TenantStore store = new TenantStore(options.load(Map.of()))) {
        Optional<TenantPolicy> policy = store.get(tenant);
        if (policy.isEmpty()) {
          return unknown(spec, tenant);
        }
        System.out.println(RecordJson.toJson(policy.get()));
        return 0;
      }
    }
  }

  /** {@code aibroker tenants list}. */
  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = {
        "Prints every tenant's policy, by tenant id.",
        "In the table a dash marks a setting that uses the configured default."
      })
  static final class ListCommand implements Callable<Integer> {

    /** Output formats. */
    enum Format {
      TABLE,
      JSON
    }

    @Mixin ConfigOptions options;

    @Option(
        names = "--format",
        paramLabel = "FORMAT",
        defaultValue = "table",
        converter = FormatConverter.class,
        completionCandidates = FormatConverter.class,
        description =
            "table (aligned columns) or json (one array); one of ${COMPLETION-CANDIDATES}"
                + " (default: ${DEFAULT-VALUE}).")
    Format format;

    @Override
    public Integer call() {
      try (TenantStore store = new TenantStore(options.load(Map.of()))) {
        var policies = store.all().values();
        if (format == Format.JSON) {
          System.out.println(RecordJson.toJsonArray(policies));
        } else {
          System.out.print(TenantTable.render(policies));
        }
        return 0;
      }
    }
  }

  /** {@code aibroker tenants delete}. */
  @Command(
      name = "delete",
      mixinStandardHelpOptions = true,
      description = {
        "Removes a tenant's policy (writes a tombstone); its requests then use the defaults."
      },
      exitCodeListHeading = "Exit codes:%n",
      exitCodeList = {
        "0:the policy was removed",
        "1:invalid input or connection error",
        "2:the tenant has no policy"
      })
  static final class DeleteCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Mixin ConfigOptions options;

    @Parameters(paramLabel = "TENANT", description = TENANT_DESCRIPTION)
    String tenant;

    @Override
    public Integer call() {
      checkTenant(spec, tenant);
      try (TenantStore store = new TenantStore(options.load(Map.of()))) {
        if (store.get(tenant).isEmpty()) {
          return unknown(spec, tenant);
        }
        store.delete(tenant);
        System.out.println(
            "deleted the policy of tenant " + tenant + "; its requests now use the defaults");
        return 0;
      }
    }
  }

  /** Reads {@code reject} or {@code queue}. */
  static final class OverLimitConverter extends LowerCaseEnumConverter<OverLimitAction> {
    OverLimitConverter() {
      super(OverLimitAction.class);
    }
  }

  /** Reads {@code table} or {@code json}. */
  static final class FormatConverter extends LowerCaseEnumConverter<ListCommand.Format> {
    FormatConverter() {
      super(ListCommand.Format.class);
    }
  }

  /** Reads an amount of USD, saying what was expected when it is not a number. */
  static final class UsdConverter implements ITypeConverter<BigDecimal> {
    @Override
    public BigDecimal convert(String value) {
      try {
        return new BigDecimal(value.strip());
      } catch (NumberFormatException e) {
        throw new TypeConversionException(
            "'" + value + "' is not an amount of USD (try 25 or 12.50)");
      }
    }
  }
}
