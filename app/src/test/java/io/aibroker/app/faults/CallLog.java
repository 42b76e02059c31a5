package io.aibroker.app.faults;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Every provider call of a storm run as the connector boundary saw it: when it started and ended.
 */
final class CallLog {

  /**
   * One provider call.
   *
   * @param requestId the request the call was made for
   * @param provider the provider called
   * @param deployment the route's deployment
   * @param started when the worker handed the call to the connector
   */
  record Call(String requestId, String provider, String deployment, Instant started) {}

  private final List<Call> calls = new CopyOnWriteArrayList<>();

  void started(Call call) {
    calls.add(call);
  }

  /** The calls so far. */
  List<Call> calls() {
    return List.copyOf(calls);
  }

  /** Forgets the calls so far (between runs). */
  void clear() {
    calls.clear();
  }
}
