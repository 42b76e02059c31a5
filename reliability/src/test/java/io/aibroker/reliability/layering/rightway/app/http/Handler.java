package io.aibroker.reliability.layering.rightway.app.http;

import io.aibroker.reliability.layering.rightway.app.config.Limits;

/** Fixture: the HTTP API reads its settings. */
public final class Handler {
  final Limits limits = new Limits(10);
}
