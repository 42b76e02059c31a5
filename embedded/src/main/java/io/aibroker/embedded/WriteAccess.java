package io.aibroker.embedded;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Locale;

/**
 * Who may change the registry: without a credential, clients that address it by a loopback name
 * (see {@link LoopbackHost}); with one, only clients presenting it by HTTP Basic auth, whatever
 * {@code Host} they send.
 *
 * <p>The credential is compared as a SHA-256 digest in constant time, so neither its content nor
 * its length leaks through response times. {@link #toString()} never shows it.
 */
final class WriteAccess {

  private static final String BASIC = "basic ";

  private final byte[] credentialDigest;

  private WriteAccess(byte[] credentialDigest) {
    this.credentialDigest = credentialDigest;
  }

  /** Writes from clients addressing the registry as localhost, 127.0.0.1 or [::1]. */
  static WriteAccess loopbackOnly() {
    return new WriteAccess(null);
  }

  /**
   * Writes from clients presenting {@code user:password} by HTTP Basic auth, and from no one else.
   *
   * @throws IllegalArgumentException if the value is not of the form {@code user:password}
   */
  static WriteAccess basicAuth(String userColonPassword) {
    if (userColonPassword == null || userColonPassword.indexOf(':') < 1) {
      throw new IllegalArgumentException(
          "the write credential must have the form 'user:password' (value not shown)");
    }
    return new WriteAccess(sha256(userColonPassword.getBytes(StandardCharsets.UTF_8)));
  }

  /** Whether a credential is needed (and a loopback {@code Host} is not enough). */
  boolean needsCredential() {
    return credentialDigest != null;
  }

  /**
   * Whether a request with these headers may change the registry.
   *
   * @param hostHeader the request's {@code Host} header, or null
   * @param authorizationHeader the request's {@code Authorization} header, or null
   */
  boolean permits(String hostHeader, String authorizationHeader) {
    if (credentialDigest == null) {
      return LoopbackHost.named(hostHeader);
    }
    byte[] presented = basicCredential(authorizationHeader);
    return presented != null && MessageDigest.isEqual(credentialDigest, sha256(presented));
  }

  /** Why a refused request was refused, for its error message. */
  String refusal() {
    return credentialDigest == null
        ? "Changes to this schema registry are accepted only from clients addressing it as"
            + " localhost, 127.0.0.1 or [::1]"
        : "Changes to this schema registry need its write credential (HTTP Basic auth)";
  }

  @Override
  public String toString() {
    return credentialDigest == null ? "loopback clients" : "holders of the write credential";
  }

  /** The decoded {@code user:password} of a Basic authorization header, or null. */
  private static byte[] basicCredential(String header) {
    if (header == null
        || header.length() <= BASIC.length()
        || !header.substring(0, BASIC.length()).toLowerCase(Locale.ROOT).equals(BASIC)) {
      return null;
    }
    try {
      return Base64.getDecoder().decode(header.substring(BASIC.length()).strip());
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
