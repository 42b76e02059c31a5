package io.aibroker.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Picks currently free TCP ports for listeners that must be named before they are bound. */
final class FreePorts {
  private FreePorts() {}

  /**
   * Returns a port that is free on {@code host} right now and differs from {@code avoid}. Another
   * process could take it before it is bound; for an embedded single node that window is accepted.
   */
  static int pick(String host, int avoid) {
    for (int attempt = 0; attempt < 10; attempt++) {
      try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(host))) {
        socket.setReuseAddress(true);
        int port = socket.getLocalPort();
        if (port != avoid) {
          return port;
        }
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot find a free port on " + host, e);
      }
    }
    throw new IllegalStateException("No free port found on " + host);
  }
}
