package io.aibroker.connector;

/**
 * Names, tag keys and tag values of the provider-call meters dashboards and alerts read under the
 * connector's name ({@code deploy/grafana/dashboards}); change them here only.
 *
 * <p>Connectors record nothing themselves: the worker records every provider call once, when it
 * knows how the call ended (answered, failed with its classified {@link ProviderException}, timed
 * out by the worker or the request's deadline, cancelled), into these meters and the GenAI ones
 * next to them (see {@code io.aibroker.workers.WorkerMetrics}).
 */
public final class ConnectorMetrics {

  /** Timer: one sample per provider call, successful or not. */
  public static final String CALL = "aibroker.connector.call";

  /** Counter: tokens billed, by direction. */
  public static final String TOKENS = "aibroker.connector.tokens";

  /** Tag key: {@link Connector#provider()}. */
  public static final String TAG_PROVIDER = "provider";

  /** Tag key: {@link ProviderCall#deployment()}, or the model if there is no deployment. */
  public static final String TAG_DEPLOYMENT = "deployment";

  /** Tag key: {@link ProviderCall#providerModel()}. */
  public static final String TAG_MODEL = "model";

  /** Tag key: {@link ProviderCall#task()} in lower case. */
  public static final String TAG_TASK = "task";

  /** Tag key: {@link #OUTCOME_SUCCESS}, {@link #OUTCOME_RETRYABLE}, ... */
  public static final String TAG_OUTCOME = "outcome";

  /** Tag key: {@link ProviderException#errorType()}, or {@link #ERROR_NONE}. */
  public static final String TAG_ERROR = "error";

  /** Tag key: {@link #DIRECTION_INPUT} or {@link #DIRECTION_OUTPUT}. */
  public static final String TAG_DIRECTION = "direction";

  /** Outcome: the provider answered. */
  public static final String OUTCOME_SUCCESS = "success";

  /** Outcome: failed with a {@link ErrorClass#RETRYABLE} error. */
  public static final String OUTCOME_RETRYABLE = "retryable";

  /** Outcome: failed with a {@link ErrorClass#TERMINAL} error. */
  public static final String OUTCOME_TERMINAL = "terminal";

  /** Outcome: the caller cancelled the call. */
  public static final String OUTCOME_CANCELLED = "cancelled";

  /** Error tag of calls that did not fail. */
  public static final String ERROR_NONE = "none";

  /** Error tag of cancelled calls. */
  public static final String ERROR_CANCELLED = "cancelled";

  /** Direction: prompt tokens. */
  public static final String DIRECTION_INPUT = "input";

  /** Direction: completion tokens. */
  public static final String DIRECTION_OUTPUT = "output";

  private ConnectorMetrics() {}
}
