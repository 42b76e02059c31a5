package io.aibroker.reliability.layering.wrongway.app;

import io.aibroker.reliability.layering.wrongway.app.cli.Endpoints;
import io.aibroker.reliability.layering.wrongway.broker.Admission;

/** Fixture, wrong way: the app's root uses a class of the CLI. */
public final class Platform {
  final Admission admission = new Admission();
  final Endpoints endpoints = new Endpoints("localhost:9092");

  /** Whether it runs. */
  public static boolean running() {
    return true;
  }
}
