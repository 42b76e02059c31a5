package io.aibroker.app.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.aibroker.app.Platform;
import io.aibroker.app.TestPlatforms;
import io.aibroker.app.config.AppConfig;
import io.aibroker.embedded.EmbeddedKafkaConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Out of the box nothing listens beyond this machine: embedded Kafka, the embedded Schema Registry
 * and the HTTP endpoint bind 127.0.0.1 unless configured otherwise. Checked on the sockets of a
 * running platform (reachable on loopback, refused on every other local address) and on the
 * defaults themselves.
 */
class NetworkDefaultsIT {

  @TempDir static Path dir;
  static AppConfig config;
  static Platform platform;

  @BeforeAll
  static void start() throws Exception {
    // Only ports are set (free ones); every host is the built-in default.
    Map<String, String> settings = TestPlatforms.freePorts(dir.resolve("data"));
    config = TestPlatforms.config(settings);
    platform = Platform.start(config, Clock.systemUTC());
  }

  @AfterAll
  static void stop() {
    if (platform != null) {
      platform.close();
    }
  }

  @Test
  void theDefaultsNameLoopbackForEveryListener() {
    assertThat(config.kafka().embeddedHost()).isEqualTo("127.0.0.1");
    assertThat(config.schemaRegistry().embeddedHost()).isEqualTo("127.0.0.1");
    assertThat(config.http().host()).isEqualTo("127.0.0.1");
    assertThat(EmbeddedKafkaConfig.DEFAULT_HOST).isEqualTo("127.0.0.1");
    assertThat(platform.bootstrapServers()).startsWith("127.0.0.1:");
    assertThat(platform.schemaRegistryUrl()).startsWith("http://127.0.0.1:");
    assertThat(platform.httpUrl()).startsWith("http://127.0.0.1:");
  }

  @Test
  void everyListenerAnswersOnLoopbackAndNowhereElse() throws Exception {
    List<Integer> ports =
        List.of(
            port(platform.bootstrapServers()),
            URI.create(platform.schemaRegistryUrl()).getPort(),
            URI.create(platform.httpUrl()).getPort());
    List<InetAddress> others = nonLoopbackAddresses();

    for (int port : ports) {
      assertThat(connects(InetAddress.getLoopbackAddress(), port))
          .as("127.0.0.1:%d", port)
          .isTrue();
      for (InetAddress address : others) {
        assertThat(connects(address, port))
            .as("%s:%d must refuse connections", address.getHostAddress(), port)
            .isFalse();
      }
    }
  }

  private static int port(String hostAndPort) {
    return Integer.parseInt(hostAndPort.substring(hostAndPort.lastIndexOf(':') + 1));
  }

  private static List<InetAddress> nonLoopbackAddresses() throws IOException {
    List<InetAddress> addresses = new ArrayList<>();
    for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (!nic.isUp() || nic.isLoopback()) {
        continue;
      }
      for (InetAddress address : Collections.list(nic.getInetAddresses())) {
        if (!address.isLoopbackAddress() && !address.isLinkLocalAddress()) {
          addresses.add(address);
        }
      }
    }
    // 127.0.0.2 is loopback too, but not the address the listeners were told to bind.
    addresses.add(InetAddress.getByName("127.0.0.2"));
    return addresses;
  }

  private static boolean connects(InetAddress address, int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(address, port), 2_000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
