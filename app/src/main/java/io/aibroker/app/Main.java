package io.aibroker.app;

import io.aibroker.app.cli.BrokerCommand;
import io.aibroker.app.cli.ControlCharacters;
import io.aibroker.app.cli.DlqCommand;
import io.aibroker.app.cli.PricesCommand;
import io.aibroker.app.cli.RunCommand;
import io.aibroker.app.cli.SubmitCommand;
import io.aibroker.app.cli.TailCommand;
import io.aibroker.app.cli.TenantsCommand;
import io.aibroker.app.cli.UsageCommand;
import io.aibroker.app.cli.WorkerCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code aibroker} command. The benchmark, {@code aibroker bench}, is not one of its
 * subcommands: it lives in the bench module, which depends on this one and adds it to {@link
 * #commandLine()} ({@code io.aibroker.bench.BenchMain}; {@code bin/aibroker bench} runs that).
 */
@Command(
    name = "aibroker",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Event-driven AI request broker on Apache Kafka.",
    footer = {
      "",
      "The benchmark runs from the bench module: bin/aibroker bench --help (or bench/run.sh)."
    },
    subcommands = {
      RunCommand.class,
      BrokerCommand.class,
      WorkerCommand.class,
      SubmitCommand.class,
      TenantsCommand.class,
      UsageCommand.class,
      PricesCommand.class,
      TailCommand.class,
      DlqCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main {

  /** Exit code of a usage or connection error. */
  public static final int EXIT_ERROR = 1;

  /** Runs the command line and exits with its code. */
  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs the command line and returns its exit code (for tests). */
  public static int execute(String... args) {
    return commandLine().execute(args);
  }

  /**
   * The {@code aibroker} command line with its subcommands and error handling, for running it or
   * for adding commands of modules built on this one (the bench module's {@code bench}).
   */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new Main());
    cli.setParameterExceptionHandler(
        (ex, a) -> {
          // Messages may quote what was typed, or what a record or a server said.
          ex.getCommandLine()
              .getErr()
              .println("aibroker: " + ControlCharacters.escape(ex.getMessage()));
          ex.getCommandLine().getErr().println("Try 'aibroker --help'.");
          return EXIT_ERROR;
        });
    cli.setExecutionExceptionHandler(
        (ex, commandLine, parseResult) -> {
          commandLine.getErr().println("aibroker: " + ControlCharacters.escape(oneLine(ex)));
          return EXIT_ERROR;
        });
    return cli;
  }

  private static String oneLine(Throwable error) {
    Throwable root = error;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = error.getMessage() == null ? "" : error.getMessage();
    if (root != error && root.getMessage() != null && !message.contains(root.getMessage())) {
      message = message.isEmpty() ? root.getMessage() : message + ": " + root.getMessage();
    }
    return message.isEmpty() ? error.getClass().getSimpleName() : message;
  }

  /** Reads the version from the jar manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = Main.class.getPackage().getImplementationVersion();
      return new String[] {"aibroker " + (version == null ? "(development build)" : version)};
    }
  }
}
