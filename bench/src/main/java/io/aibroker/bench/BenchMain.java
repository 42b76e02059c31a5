package io.aibroker.bench;

import io.aibroker.app.Main;
import picocli.CommandLine;

/**
 * The {@code aibroker} command with {@code bench} added: the main class of the bench module's jar,
 * which {@code bin/aibroker bench} and {@code bench/run.sh} run. The app does not depend on this
 * module, so JMH and the load generator stay off the app's class path; here the app is a
 * dependency, and the platform's child JVMs run {@link Main} on this class path.
 */
public final class BenchMain {

  private BenchMain() {}

  /** Runs the command line and exits with its code. */
  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs the command line and returns its exit code (for tests). */
  public static int execute(String... args) {
    return commandLine().execute(args);
  }

  /** The app's command line and {@code bench}. */
  static CommandLine commandLine() {
    CommandLine cli = Main.commandLine();
    // the app's footer points here
    cli.getCommandSpec().usageMessage().footer(new String[0]);
    return cli.addSubcommand(new BenchCommand());
  }
}
