package io.aibroker.connector.batch;

import io.aibroker.connector.ProviderException;
import io.aibroker.connector.ProviderResponse;
import java.util.Objects;

/** The result of one line of a provider batch job. */
public sealed interface BatchLineResult {

  /**
   * The provider answered the line.
   *
   * @param response the answer, with its usage; its service tier is the batch tier unless the
   *     provider says otherwise
   */
  record Answered(ProviderResponse response) implements BatchLineResult {

    /** Requires the response. */
    public Answered {
      Objects.requireNonNull(response, "response");
    }
  }

  /**
   * The provider failed the line on its own; the other lines are unaffected.
   *
   * @param error the failure, classified by the connector's error mapper
   */
  record Failed(ProviderException error) implements BatchLineResult {

    /** Requires the error. */
    public Failed {
      Objects.requireNonNull(error, "error");
    }
  }
}
