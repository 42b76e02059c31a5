package io.aibroker.connector.bedrock;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An S3 bucket and key (or key prefix), as Bedrock's {@code s3://bucket/key} URIs name them.
 *
 * @param bucket the bucket
 * @param key the key or prefix; empty for the bucket's root
 */
record S3Location(String bucket, String key) {

  // Bucket naming rules, loosely: lower case letters, digits, dots and hyphens, 3 to 63 long.
  private static final Pattern URI =
      Pattern.compile("s3://([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])/(.*)");

  /**
   * Parses a prefix URI, adding the trailing slash if it is missing.
   *
   * @param setting the setting's name, for the message
   * @throws IllegalArgumentException if it is missing or not an {@code s3://bucket/...} URI
   */
  static S3Location parse(String setting, String uri) {
    if (uri == null || uri.isBlank()) {
      throw new IllegalArgumentException(setting + " is required, e.g. s3://bucket/prefix/");
    }
    String text = uri.strip();
    if (text.matches("s3://[^/]+")) {
      text += "/";
    }
    Matcher matcher = URI.matcher(text);
    if (!matcher.matches()) {
      throw new IllegalArgumentException(
          setting + " must be an S3 URI like s3://bucket/prefix/, was '" + uri + "'");
    }
    String key = matcher.group(2);
    if (!key.isEmpty() && !key.endsWith("/")) {
      key += "/";
    }
    return new S3Location(matcher.group(1), key);
  }

  /** Parses an object URI as Bedrock reports it; no slash is added. */
  static S3Location ofObject(String uri) {
    Matcher matcher = URI.matcher(uri == null ? "" : uri.strip());
    if (!matcher.matches()) {
      throw new IllegalArgumentException("not an S3 object URI: '" + uri + "'");
    }
    return new S3Location(matcher.group(1), matcher.group(2));
  }

  /** The object or prefix {@code name} under this prefix. */
  S3Location resolve(String name) {
    return new S3Location(bucket, key + name);
  }

  /** {@code s3://bucket/key}. */
  String uri() {
    return "s3://" + bucket + "/" + key;
  }

  @Override
  public String toString() {
    return uri();
  }
}
