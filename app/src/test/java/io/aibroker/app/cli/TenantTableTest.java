package io.aibroker.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TenantTableTest {

  private static final Instant NOW = Instant.parse("2026-03-14T09:30:05Z");

  @Test
  void showsSetValuesAndDashesForDefaults() {
    var full =
        new TenantPolicyChange(
                600,
                200_000L,
                50,
                new BigDecimal("25"),
                new BigDecimal("500.50"),
                io.aibroker.records.OverLimitAction.QUEUE,
                List.of("a", "b"),
                Duration.ofHours(1),
                true,
                Set.of())
            .applyTo(null, "acme", NOW);
    var bare =
        new TenantPolicyChange(null, null, null, null, null, null, null, null, null, Set.of())
            .applyTo(null, "globex", NOW);

    List<String> lines = TenantTable.render(List.of(full, bare)).lines().toList();

    assertThat(lines.get(0).split(" {2,}"))
        .containsExactly(
            "TENANT",
            "RPM",
            "TPM",
            "MAX CONCURRENT",
            "DAILY USD",
            "MONTHLY USD",
            "OVER LIMIT",
            "ALLOWED MODELS",
            "CACHE TTL",
            "CACHE SHARED",
            "UPDATED (UTC)");
    assertThat(lines.get(1).split(" {2,}"))
        .containsExactly(
            "acme",
            "600",
            "200000",
            "50",
            "25",
            "500.5",
            "QUEUE",
            "a,b",
            "1h",
            "yes",
            "2026-03-14 09:30:05");
    assertThat(lines.get(2).split(" {2,}"))
        .containsExactly(
            "globex", "-", "-", "-", "-", "-", "REJECT", "(all)", "-", "no", "2026-03-14 09:30:05");
  }

  @ParameterizedTest
  @CsvSource({"45, 45s", "60, 1m", "5400, 90m", "3600, 1h", "86400, 1d", "90000, 25h"})
  void writesTtlsInTheLargestWholeUnit(int seconds, String text) {
    assertThat(TenantTable.ttl(seconds)).isEqualTo(text);
  }
}
