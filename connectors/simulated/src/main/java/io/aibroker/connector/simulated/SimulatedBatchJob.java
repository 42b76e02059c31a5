package io.aibroker.connector.simulated;

import io.aibroker.connector.ProviderCall;
import io.aibroker.connector.batch.BatchJob;
import io.aibroker.connector.batch.BatchLineResult;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * One job of the {@link SimulatedBatchApi}, held in memory: its calls until it is first seen
 * complete, then their results, worked out once so every later poll reads the same (the prompt
 * cache and the call log see each line once, as a provider would).
 */
final class SimulatedBatchJob {

  private final BatchJob job;
  private final Instant submittedAt;
  private List<ProviderCall> calls;
  private Map<String, BatchLineResult> results;

  SimulatedBatchJob(BatchJob job, Instant submittedAt, List<ProviderCall> calls) {
    this.job = job;
    this.submittedAt = submittedAt;
    this.calls = List.copyOf(calls);
  }

  /** The job as handed to the worker. */
  BatchJob job() {
    return job;
  }

  /** When it was accepted, on the connector's clock. */
  Instant submittedAt() {
    return submittedAt;
  }

  /** Every line's result, answered by {@code answer} the first time this is asked. */
  synchronized Map<String, BatchLineResult> results(
      Function<ProviderCall, BatchLineResult> answer) {
    if (results == null) {
      Map<String, BatchLineResult> answered = new LinkedHashMap<>();
      for (ProviderCall call : calls) {
        answered.put(call.requestId(), answer.apply(call));
      }
      results = Map.copyOf(answered);
      calls = null; // the prompts are not needed any more
    }
    return results;
  }
}
