package io.aibroker.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LoopbackHostTest {

  @Test
  void loopbackNamesWithOrWithoutPortAreLoopback() {
    for (String host :
        new String[] {
          "localhost",
          "localhost:8081",
          "LocalHost:1",
          "127.0.0.1",
          "127.0.0.1:8081",
          "[::1]",
          "[::1]:8081",
          " localhost:8081 "
        }) {
      assertThat(LoopbackHost.named(host)).as(host).isTrue();
    }
  }

  @Test
  void otherNamesLookalikesAndMalformedValuesAreNot() {
    for (String host :
        new String[] {
          null,
          "",
          "evil.example",
          "localhost.evil.example",
          "127.0.0.1.nip.io",
          "evil.example@localhost",
          "localhost@evil.example",
          "localhost:8081@evil.example",
          "localhost:80x",
          "localhost:1234567",
          "localhost,evil.example",
          "::1",
          "[::1",
          "[::1]x",
          "0.0.0.0",
          "127.0.0.2",
          "10.0.0.5:8081"
        }) {
      assertThat(LoopbackHost.named(host)).as(String.valueOf(host)).isFalse();
    }
  }
}
