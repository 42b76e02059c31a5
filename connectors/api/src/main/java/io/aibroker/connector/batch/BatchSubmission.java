package io.aibroker.connector.batch;

import io.aibroker.connector.ProviderCall;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The calls of one provider batch job.
 *
 * @param key aibroker's id of the job, unique per job and the same for every attempt to submit it:
 *     the idempotency key the provider is given where it takes one
 * @param deployment the deployment all calls go to
 * @param providerModel the provider model all calls use
 * @param calls the lines, each identified by its {@link ProviderCall#requestId()} (unique within
 *     the job); connectors map it to the provider's line id ({@code custom_id}, {@code recordId},
 *     {@code external_reference}) and back
 */
public record BatchSubmission(
    String key, String deployment, String providerModel, List<ProviderCall> calls) {

  /** Validates the job's shape. */
  public BatchSubmission {
    if (key == null || key.isBlank()) {
      throw new IllegalArgumentException("key must not be blank");
    }
    Objects.requireNonNull(providerModel, "providerModel");
    calls = List.copyOf(calls);
    if (calls.isEmpty()) {
      throw new IllegalArgumentException("a batch job needs at least one call");
    }
    Set<String> ids = new HashSet<>();
    for (ProviderCall call : calls) {
      if (!ids.add(call.requestId())) {
        throw new IllegalArgumentException("call " + call.requestId() + " is in the job twice");
      }
      if (call.stream()) {
        throw new IllegalArgumentException("call " + call.requestId() + " streams: not batchable");
      }
      if (!providerModel.equals(call.providerModel())) {
        throw new IllegalArgumentException(
            "call "
                + call.requestId()
                + " is for "
                + call.providerModel()
                + ", not "
                + providerModel);
      }
    }
  }
}
