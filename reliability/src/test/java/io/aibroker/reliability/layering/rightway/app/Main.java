package io.aibroker.reliability.layering.rightway.app;

import io.aibroker.reliability.layering.rightway.app.cli.RunCommand;

/** Fixture: the command line's root names the commands. */
public final class Main {
  final RunCommand run = new RunCommand();
}
