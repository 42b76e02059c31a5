package io.aibroker.reliability.layering.rightway.app.cli;

import io.aibroker.reliability.layering.rightway.app.Platform;

/** Fixture: a command starts the platform. */
public final class RunCommand {
  final Platform platform = new Platform();
}
