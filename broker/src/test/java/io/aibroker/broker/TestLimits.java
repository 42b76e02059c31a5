package io.aibroker.broker;

import io.aibroker.records.OverLimitAction;
import java.time.Duration;

/** Tenant defaults with one limit set, for tests of that limit. */
final class TestLimits {

  private TestLimits() {}

  static TenantDefaults rpm(int requestsPerMinute) {
    return new TenantDefaults(
        requestsPerMinute,
        null,
        null,
        null,
        null,
        OverLimitAction.REJECT,
        Duration.ofHours(1),
        Duration.ofHours(24),
        100);
  }
}
