package io.aibroker.connector.testing;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * One request a {@link FakeProviderServer} received.
 *
 * @param method the HTTP method, e.g. {@code POST}
 * @param path the decoded request path, e.g. {@code /client/v4/accounts/a/ai/run/@cf/meta/x}
 * @param query the raw query string, or {@code null} if there was none
 * @param headers request headers, names in lower case
 * @param body the body as UTF-8 text (empty if none)
 * @param receivedAt when the server received the request, on its clock (see {@link
 *     FakeProviderServer#faults(FaultSchedule)}); never null
 */
public record RecordedRequest(
    String method,
    String path,
    String query,
    Map<String, List<String>> headers,
    String body,
    Instant receivedAt) {

  /** A request received now. */
  public RecordedRequest(
      String method, String path, String query, Map<String, List<String>> headers, String body) {
    this(method, path, query, headers, body, Instant.now());
  }

  /** Copies the headers, lower-casing their names. */
  public RecordedRequest {
    receivedAt = receivedAt == null ? Instant.now() : receivedAt;
    Map<String, List<String>> copy = new TreeMap<>();
    if (headers != null) {
      headers.forEach(
          (name, values) ->
              copy.computeIfAbsent(name.toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                  .addAll(values));
    }
    copy.replaceAll((name, values) -> List.copyOf(values));
    headers = Collections.unmodifiableMap(copy);
    body = body == null ? "" : body;
  }

  /** The first value of header {@code name} (any case), or {@code null}. */
  public String header(String name) {
    List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  /** Leaves out the body and header values: they may hold credentials. */
  @Override
  public String toString() {
    return "RecordedRequest["
        + method
        + " "
        + path
        + (query == null ? "" : "?" + query)
        + ", headers="
        + headers.keySet()
        + ", bodyChars="
        + body.length()
        + ", receivedAt="
        + receivedAt
        + "]";
  }
}
