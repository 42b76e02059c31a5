package io.aibroker.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Runs the JMH microbenchmarks of the hot pieces (classes named {@code *Benchmark} in this module:
 * serde, cache keys, quota admission, routing) with short settings, in one forked JVM. For the full
 * JMH treatment run {@code org.openjdk.jmh.Main} on the same class path.
 */
final class Microbenchmarks {

  /** Which benchmarks run. */
  static final String INCLUDE = "io\\.aibroker\\..*Benchmark";

  private Microbenchmarks() {}

  static List<Report.Micro> run(BenchSettings settings, PrintStream log) throws RunnerException {
    Options options =
        new OptionsBuilder()
            .include(INCLUDE)
            .forks(settings.jmhForks())
            .verbosity(VerboseMode.SILENT)
            .warmupIterations(settings.jmhIterations())
            .warmupTime(TimeValue.milliseconds(settings.jmhTime().toMillis()))
            .measurementIterations(settings.jmhIterations())
            .measurementTime(TimeValue.milliseconds(settings.jmhTime().toMillis()))
            .timeUnit(TimeUnit.NANOSECONDS)
            .shouldFailOnError(true)
            .build();
    List<Report.Micro> rows = new ArrayList<>();
    for (RunResult result : new Runner(options).run()) {
      var primary = result.getPrimaryResult();
      String name = result.getParams().getBenchmark();
      rows.add(
          new Report.Micro(
              name.substring(name.lastIndexOf('.', name.lastIndexOf('.') - 1) + 1),
              result.getParams().getMode().shortLabel(),
              primary.getScore(),
              primary.getScoreError(),
              primary.getScoreUnit()));
    }
    rows.sort(Comparator.comparing(Report.Micro::benchmark));
    log.println("bench:   " + rows.size() + " microbenchmarks");
    return rows;
  }
}
