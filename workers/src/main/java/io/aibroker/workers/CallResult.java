package io.aibroker.workers;

import io.aibroker.connector.ErrorClass;
import io.aibroker.connector.ProviderException;
import io.aibroker.connector.ProviderResponse;
import io.aibroker.records.ProviderErrorKind;
import java.util.Objects;

/**
 * How the provider calls for one dispatch ended. Every variant says how many calls were made and
 * how long they took together, which the outcome reports.
 */
sealed interface CallResult {

  /** Provider calls made, retries included; 0 when none was. */
  int calls();

  /** Time spent in those calls, in milliseconds. */
  long providerMs();

  /**
   * The provider answered.
   *
   * @param response the answer
   * @param calls calls made, the successful one included
   * @param providerMs time in all of them
   */
  record Answered(ProviderResponse response, int calls, long providerMs) implements CallResult {
    /** Requires the response. */
    public Answered {
      Objects.requireNonNull(response, "response");
    }
  }

  /**
   * The last call failed and is not tried again here.
   *
   * @param error the last call's failure, classified once ({@link
   *     io.aibroker.connector.ProviderErrors#classify})
   * @param calls calls made
   * @param providerMs time in all of them
   */
  record Failed(ProviderException error, int calls, long providerMs) implements CallResult {
    /** Requires the error. */
    public Failed {
      Objects.requireNonNull(error, "error");
    }
  }

  /**
   * The worker did not (or no longer) call: the circuit is open, the deadline passed, the record
   * was delivered too often, the request cannot be called.
   *
   * @param code the outcome's error code ({@link Outcomes#CIRCUIT_OPEN}, ...)
   * @param errorClass whether another route or attempt may succeed
   * @param kind what kept the worker from calling, for the broker's reason code
   * @param message why, for people
   * @param calls calls made before the worker stopped
   * @param providerMs time in them
   */
  record NotCalled(
      String code,
      ErrorClass errorClass,
      ProviderErrorKind kind,
      String message,
      int calls,
      long providerMs)
      implements CallResult {
    /** Requires code, class, kind and message. */
    public NotCalled {
      Objects.requireNonNull(code, "code");
      Objects.requireNonNull(errorClass, "errorClass");
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(message, "message");
    }
  }
}
