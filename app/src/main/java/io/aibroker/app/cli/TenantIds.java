package io.aibroker.app.cli;

import java.util.regex.Pattern;

/** What a tenant id may look like: the characters the broker accepts in ids, at most 128. */
public final class TenantIds {

  /** Allowed characters and length of a tenant id. */
  public static final Pattern VALID = Pattern.compile("[A-Za-z0-9._:@/+=-]{1,128}");

  private TenantIds() {}

  /**
   * Returns the id if it is valid.
   *
   * @throws IllegalArgumentException naming the rule the id breaks
   */
  public static String check(String tenantId) {
    if (tenantId == null || tenantId.isEmpty()) {
      throw new IllegalArgumentException("tenant id must not be empty");
    }
    if (tenantId.length() > 128) {
      throw new IllegalArgumentException(
          "tenant id must be at most 128 characters, was " + tenantId.length());
    }
    if (!VALID.matcher(tenantId).matches()) {
      throw new IllegalArgumentException(
          "tenant id '" + tenantId + "' may only contain letters, digits and . _ : @ / + = -");
    }
    return tenantId;
  }
}
