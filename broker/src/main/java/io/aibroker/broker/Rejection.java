package io.aibroker.broker;

import io.aibroker.records.ReasonCode;
import java.util.Objects;

/**
 * Why a request is refused before dispatch.
 *
 * @param reason machine-readable code
 * @param message explanation a developer understands
 */
public record Rejection(ReasonCode reason, String message) {

  /** Validates: both parts present. */
  public Rejection {
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(message, "message");
  }
}
