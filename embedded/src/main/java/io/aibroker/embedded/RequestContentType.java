package io.aibroker.embedded;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The request content types the registry reads a body in: Confluent's JSON types, parameters such
 * as {@code ; charset=utf-8} allowed.
 *
 * <p>{@code application/octet-stream} is accepted too, as Confluent's registry does (its {@code
 * Versions.GENERIC_REQUEST}): a browser cannot send it to another site without a CORS preflight,
 * which this registry never grants. The types a page on another site can send without one ({@code
 * text/plain}, the two form types) and a missing type (what a browser sends for a body it may not
 * label) are refused, which stops cross-site request forgery.
 */
final class RequestContentType {

  private static final Set<String> ACCEPTED =
      Set.of(
          "application/vnd.schemaregistry.v1+json",
          "application/vnd.schemaregistry+json",
          "application/json",
          "application/octet-stream");

  private RequestContentType() {}

  /**
   * Whether the {@code Content-Type} header values of a request name an accepted type: exactly one
   * value, whose media type (before any {@code ;}) is one of the accepted ones, in any case.
   */
  static boolean accepted(List<String> headerValues) {
    if (headerValues == null || headerValues.size() != 1) {
      return false;
    }
    String value = headerValues.get(0);
    int semicolon = value.indexOf(';');
    String mediaType = (semicolon < 0 ? value : value.substring(0, semicolon)).strip();
    return ACCEPTED.contains(mediaType.toLowerCase(Locale.ROOT));
  }

  /** The accepted types, for error messages. */
  static String describe() {
    return "application/vnd.schemaregistry.v1+json, application/vnd.schemaregistry+json or"
        + " application/json";
  }
}
