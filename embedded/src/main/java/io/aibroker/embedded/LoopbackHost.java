package io.aibroker.embedded;

import java.util.Locale;
import java.util.Set;

/**
 * Recognises a {@code Host} header naming this machine's loopback interface.
 *
 * <p>A browser page on another site that gets a name of its own to resolve to 127.0.0.1 (DNS
 * rebinding) still sends that name as {@code Host}; only a client that addressed the loopback
 * interface by its own name sends {@code localhost}, {@code 127.0.0.1} or {@code [::1]}.
 */
final class LoopbackHost {

  private static final Set<String> NAMES = Set.of("localhost", "127.0.0.1", "::1");

  private LoopbackHost() {}

  /**
   * Whether a {@code Host} header value is {@code localhost}, {@code 127.0.0.1} or {@code [::1]},
   * with or without a port. Anything else, malformed values and null are not.
   */
  static boolean named(String hostHeader) {
    if (hostHeader == null) {
      return false;
    }
    String value = hostHeader.strip().toLowerCase(Locale.ROOT);
    String host;
    String rest;
    if (value.startsWith("[")) {
      int close = value.indexOf(']');
      if (close < 0) {
        return false;
      }
      host = value.substring(1, close);
      rest = value.substring(close + 1);
    } else {
      int colon = value.indexOf(':');
      host = colon < 0 ? value : value.substring(0, colon);
      // An unbracketed IPv6 literal such as ::1 leaves an empty host here, so it never matches.
      rest = colon < 0 ? "" : value.substring(colon);
    }
    return NAMES.contains(host) && isPortOrNothing(rest);
  }

  private static boolean isPortOrNothing(String rest) {
    if (rest.isEmpty()) {
      return true;
    }
    if (rest.charAt(0) != ':' || rest.length() > 6) {
      return false;
    }
    for (int i = 1; i < rest.length(); i++) {
      if (rest.charAt(i) < '0' || rest.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }
}
