package io.aibroker.connector.testing;

/**
 * How a {@link FakeProviderServer} answers the next requests. Each subclass renders every scenario
 * in its provider's own wire format (status, headers, error body), for plain and streaming
 * requests.
 */
public enum FakeScenario {
  /** 200 with {@link FakeReplies#SUCCESS_TEXT} (streamed as {@link FakeReplies#STREAM_CHUNKS}). */
  SUCCESS,
  /** HTTP 429 with the provider's throttling code and, if the provider sends one, a retry hint. */
  RATE_LIMITED,
  /** HTTP 503 with the provider's error body; SDKs retry 503 by default, connectors must not. */
  SERVER_ERROR,
  /** HTTP 400 with the provider's validation error. */
  BAD_REQUEST,
  /**
   * HTTP 401 with the provider's authentication error. Fakes should echo the presented credential
   * in the error message (as some providers do) so the conformance suite proves it never reaches an
   * exception message.
   */
  UNAUTHORIZED,
  /** HTTP 403 with the provider's access-denied error; may echo the credential like 401. */
  FORBIDDEN,
  /**
   * The request is read and never answered until the server closes; handled by {@link
   * FakeProviderServer} itself.
   */
  HANG,
  /** HTTP 200 whose body is not what the provider's format promises (truncated JSON). */
  MALFORMED_BODY,
  /**
   * For streaming requests: a few chunks, then the connection is cut without the final frame (no
   * usage, no end marker); see {@link FakeStream#cut()}.
   */
  STREAM_CUT
}
