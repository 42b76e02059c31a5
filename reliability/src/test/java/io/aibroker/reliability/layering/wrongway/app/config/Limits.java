package io.aibroker.reliability.layering.wrongway.app.config;

import io.aibroker.reliability.layering.wrongway.app.http.Handler;

/** Fixture, wrong way: settings that depend on the HTTP API that depends on them (a cycle). */
public record Limits(int maxConcurrent) {
  /** Limits with the HTTP API's default. */
  public static Limits defaults() {
    return new Limits(Handler.defaultConcurrency());
  }
}
