package io.aibroker.reliability.layering.wrongway.app;

import io.aibroker.reliability.layering.wrongway.app.cli.Endpoints;

/** Fixture: the command line's root may use the CLI. */
public final class Main {
  final Endpoints endpoints = new Endpoints("localhost:9092");
}
