package io.aibroker.app.http;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs what the HTTP API's callers send and get back (prompts, outputs) at DEBUG, for
 * troubleshooting, and only when {@code logging.include-content} is on: by default content is never
 * logged. Headers are never logged, so neither are API keys. The logger is {@value #LOGGER}{@code
 * .http}; the app raises {@value #LOGGER} to DEBUG when the setting is on.
 */
public final class ContentLog {

  /** The parent logger of every content log. */
  public static final String LOGGER = "io.aibroker.content";

  private static final Logger LOG = LoggerFactory.getLogger(LOGGER + ".http");

  private final boolean enabled;

  /** A content log that writes only if {@code enabled}. */
  public ContentLog(boolean enabled) {
    this.enabled = enabled;
  }

  /** Whether content is logged. */
  public boolean enabled() {
    return enabled;
  }

  /** A request's body as received, for its tenant. */
  void request(String requestId, String tenant, String path, Object body) {
    if (enabled && LOG.isDebugEnabled()) {
      LOG.debug("request {} of tenant {} to {}: {}", requestId, tenant, path, body);
    }
  }

  /** What a request was answered with. */
  void response(String requestId, int status, Object body) {
    if (enabled && LOG.isDebugEnabled()) {
      LOG.debug("response to {} ({}): {}", requestId, status, body);
    }
  }
}
