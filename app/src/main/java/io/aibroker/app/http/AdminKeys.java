package io.aibroker.app.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The admin keys, which open what shows every tenant at once: the dashboard, {@code /metrics}. Like
 * API keys, only SHA-256 hashes are configured and kept. A key is accepted as {@code Authorization:
 * Bearer KEY}, or as the password of HTTP Basic auth (any user name) so that a browser asks for it.
 * Hashes are compared in constant time, and every configured hash is compared every time, so the
 * time taken tells nothing about how close a guess came.
 */
public final class AdminKeys {

  private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

  private final List<byte[]> hashes;

  /**
   * Admin keys from their SHA-256 hex hashes.
   *
   * @param sha256Hex one hash per key; null or empty for none (everything stays open)
   * @throws IllegalArgumentException if an entry is not 64 hex digits
   */
  public AdminKeys(Collection<String> sha256Hex) {
    this.hashes =
        sha256Hex == null
            ? List.of()
            : sha256Hex.stream()
                .map(h -> h.trim().toLowerCase(Locale.ROOT))
                .filter(h -> !h.isEmpty())
                .map(AdminKeys::decode)
                .toList();
  }

  /** No admin keys: nothing needs one. */
  public static AdminKeys none() {
    return new AdminKeys(List.of());
  }

  /** Whether any admin key is configured (and admin views therefore need one). */
  public boolean configured() {
    return !hashes.isEmpty();
  }

  /**
   * Whether an {@code Authorization} header value carries an admin key, as a Bearer token or as the
   * password of Basic auth. False when no admin key is configured.
   */
  public boolean admits(String authorization) {
    String key = presentedKey(authorization);
    if (key == null || key.isEmpty()) {
      return false;
    }
    byte[] presented = HexFormat.of().parseHex(ApiKeys.sha256(key));
    boolean match = false;
    for (byte[] hash : hashes) {
      match |= MessageDigest.isEqual(hash, presented);
    }
    return match;
  }

  /**
   * Fails if a key is both an admin key and a tenant's API key: a tenant's key must never open the
   * views of every tenant.
   *
   * @throws IllegalArgumentException naming the tenant whose API key is also an admin key
   */
  public void requireDistinctFrom(ApiKeys apiKeys) {
    for (byte[] hash : hashes) {
      String hex = HexFormat.of().formatHex(hash);
      apiKeys
          .tenantOfHash(hex)
          .ifPresent(
              tenant -> {
                throw new IllegalArgumentException(
                    "http.admin-keys holds the hash of tenant "
                        + tenant
                        + "'s API key: an admin key must not be a tenant's key");
              });
    }
  }

  private static String presentedKey(String authorization) {
    if (authorization == null) {
      return null;
    }
    if (authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return authorization.substring(7).trim();
    }
    if (authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
      try {
        String credentials =
            new String(
                Base64.getDecoder().decode(authorization.substring(6).trim()),
                StandardCharsets.UTF_8);
        int colon = credentials.indexOf(':');
        return colon < 0 ? null : credentials.substring(colon + 1);
      } catch (IllegalArgumentException notBase64) {
        return null;
      }
    }
    return null;
  }

  private static byte[] decode(String hex) {
    if (!SHA256_HEX.matcher(hex).matches()) {
      throw new IllegalArgumentException(
          "http.admin-keys entries are SHA-256 hex digests (64 hex digits, echo -n \"$KEY\" |"
              + " sha256sum), not keys; got one of "
              + hex.length()
              + " characters");
    }
    return HexFormat.of().parseHex(hex);
  }
}
