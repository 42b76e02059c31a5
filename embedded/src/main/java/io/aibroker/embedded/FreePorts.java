package io.aibroker.embedded;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Picks free TCP ports for listeners that must be named before they are bound (Kafka's listeners,
 * the schema registry, child processes). Ports come from below the kernel's ephemeral range: a port
 * the kernel hands out for {@code new ServerSocket(0)} is one it also hands to outgoing
 * connections, which can take it between the pick and the bind (a test's schema registry lost its
 * port to a Kafka client's connection that way). Each port is checked bindable now and handed out
 * once per JVM; another process could still take it before it is bound, a window accepted here.
 */
public final class FreePorts {

  private static final int LOWEST = 10_000;
  private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
  private static final int LINUX_DEFAULT_EPHEMERAL_LOW = 32_768;
  private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

  private FreePorts() {}

  /** A port free on the loopback address right now. */
  public static int pick() {
    return pick(InetAddress.getLoopbackAddress().getHostAddress(), 0);
  }

  /** A port free on {@code host} right now, other than {@code avoid}. */
  public static int pick(String host, int avoid) {
    int high = ephemeralLow();
    for (int attempt = 0; attempt < 1_000; attempt++) {
      int port = LOWEST + ThreadLocalRandom.current().nextInt(high - LOWEST);
      if (port != avoid && !HANDED_OUT.contains(port) && bindable(host, port)) {
        if (HANDED_OUT.add(port)) {
          return port;
        }
      }
    }
    throw new IllegalStateException(
        "No free port between " + LOWEST + " and " + high + " on " + host);
  }

  private static boolean bindable(String host, int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress(InetAddress.getByName(host), port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * The low end of the kernel's ephemeral port range (Linux), else Linux's default. Read line by
   * line: {@code Files.readString} returns a truncated "3" for this procfs file, which reports a
   * size of 0.
   */
  private static int ephemeralLow() {
    try {
      List<String> lines = Files.readAllLines(EPHEMERAL_RANGE);
      int low = Integer.parseInt(lines.getFirst().trim().split("\\s+")[0]);
      return low >= 2 * LOWEST ? low : LINUX_DEFAULT_EPHEMERAL_LOW;
    } catch (IOException | RuntimeException e) {
      return LINUX_DEFAULT_EPHEMERAL_LOW;
    }
  }
}
