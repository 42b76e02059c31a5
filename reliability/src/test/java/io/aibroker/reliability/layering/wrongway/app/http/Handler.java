package io.aibroker.reliability.layering.wrongway.app.http;

import io.aibroker.reliability.layering.wrongway.app.cli.Endpoints;
import io.aibroker.reliability.layering.wrongway.app.config.Limits;

/** Fixture, wrong way: the HTTP API imports the CLI, and its settings import it back. */
public final class Handler {
  final Limits limits = new Limits(10);
  final Endpoints endpoints = new Endpoints("localhost:9092");

  /** The default concurrency. */
  public static int defaultConcurrency() {
    return 10;
  }
}
