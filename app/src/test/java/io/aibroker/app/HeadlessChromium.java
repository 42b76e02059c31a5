package io.aibroker.app;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's {@code chromium} run headless as a child process: loads a page, lets its scripts run for
 * a virtual-time budget, then prints the DOM or writes a screenshot. A run that outlives its
 * timeout is killed with everything it started.
 */
final class HeadlessChromium {

  private static final String BINARY = "chromium";

  private final Path executable;
  private final Path workDir;
  private final Duration timeout;
  private int runs;

  /**
   * @param workDir where profiles and logs of each run go (under target/)
   * @param timeout how long one run may take; a loaded two-core machine needs a generous one
   */
  HeadlessChromium(Path workDir, Duration timeout) throws IOException {
    this.executable = onPath(BINARY);
    this.workDir = Files.createDirectories(workDir);
    this.timeout = timeout;
  }

  /** The DOM after the page's scripts ran for {@code budget} of virtual time. */
  String dumpDom(String url, Duration budget) throws IOException, InterruptedException {
    Path out = workDir.resolve("dom-" + (runs + 1) + ".html");
    run(List.of("--dump-dom", url), budget, out);
    return Files.readString(out, StandardCharsets.UTF_8);
  }

  /** Writes a PNG of the page after its scripts ran for {@code budget} of virtual time. */
  void screenshot(String url, Duration budget, Path png) throws IOException, InterruptedException {
    Files.createDirectories(png.toAbsolutePath().getParent());
    Files.deleteIfExists(png);
    run(List.of("--screenshot=" + png.toAbsolutePath(), url), budget, null);
  }

  private void run(List<String> what, Duration budget, Path stdout)
      throws IOException, InterruptedException {
    int run = ++runs;
    Path log = workDir.resolve("chromium-" + run + ".log");
    List<String> command = new ArrayList<>();
    command.add(executable.toString());
    command.addAll(
        List.of(
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--no-first-run",
            "--hide-scrollbars",
            // a fresh profile per run: no state shared with other runs or the user's browser
            "--user-data-dir=" + workDir.resolve("profile-" + run).toAbsolutePath(),
            "--window-size=1400,1800",
            "--virtual-time-budget=" + budget.toMillis()));
    command.addAll(what);
    ProcessBuilder builder = new ProcessBuilder(command).redirectError(log.toFile());
    if (stdout != null) {
      builder.redirectOutput(stdout.toFile());
    } else {
      builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    }
    Process process = builder.start();
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
      throw new IllegalStateException(
          "chromium did not finish within " + timeout + "; killed it. Its log: " + log);
    }
    if (process.exitValue() != 0) {
      throw new IllegalStateException(
          "chromium exited with " + process.exitValue() + ". Its log: " + log);
    }
  }

  /** The executable called {@code name} on the PATH, or a failure saying how to install it. */
  static Path onPath(String name) {
    String path = System.getenv().getOrDefault("PATH", "");
    for (String dir : path.split(File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, name);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException(
        "'"
            + name
            + "' is not on the PATH ("
            + path
            + "). The dashboard test renders the page in Debian's headless Chromium: "
            + "install it with 'sudo apt-get install -y chromium' (bin/test does so).");
  }
}
