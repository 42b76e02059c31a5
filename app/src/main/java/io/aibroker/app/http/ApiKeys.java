package io.aibroker.app.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Maps API keys to tenants. Only SHA-256 hashes of keys are configured and kept, so neither the
 * configuration nor a heap dump reveals a key; compare {@code echo -n KEY | sha256sum}.
 */
public final class ApiKeys {

  private final Map<String, String> tenantByHash;

  /** Keys from {@code sha256 hex -> tenant}. */
  public ApiKeys(Map<String, String> tenantByHash) {
    this.tenantByHash =
        tenantByHash == null
            ? Map.of()
            : tenantByHash.entrySet().stream()
                .collect(
                    Collectors.toUnmodifiableMap(
                        e -> e.getKey().toLowerCase(Locale.ROOT), Map.Entry::getValue));
  }

  /** The tenant of an {@code Authorization: Bearer KEY} header value, if the key is known. */
  public Optional<String> tenantOf(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return Optional.empty();
    }
    String key = authorization.substring(7).trim();
    return key.isEmpty() ? Optional.empty() : Optional.ofNullable(tenantByHash.get(sha256(key)));
  }

  /** The tenant whose API key has this SHA-256 hex hash, if any. */
  public Optional<String> tenantOfHash(String sha256Hex) {
    return Optional.ofNullable(tenantByHash.get(sha256Hex.toLowerCase(Locale.ROOT)));
  }

  /** The hex SHA-256 of a key, as configured under {@code http.api-keys}. */
  public static String sha256(String key) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
