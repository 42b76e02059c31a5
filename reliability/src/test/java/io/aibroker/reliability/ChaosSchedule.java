package io.aibroker.reliability;

import java.util.ArrayList;
import java.util.List;

/**
 * When to kill what: the kills of each kind interleaved (worker, broker app, Kafka broker, worker,
 * ...) and spread evenly over the requests sent, the i-th of n kills after (i + 1) / (n + 1) of the
 * requests.
 */
final class ChaosSchedule {

  enum Target {
    WORKER,
    APP,
    KAFKA
  }

  /** Kill {@code target} once {@code atRequest} requests were sent. */
  record Step(Target target, int atRequest) {}

  private ChaosSchedule() {}

  static List<Step> plan(int requests, int workerKills, int appKills, int kafkaKills) {
    List<Target> order = new ArrayList<>();
    int[] left = {workerKills, appKills, kafkaKills};
    Target[] kinds = Target.values();
    while (left[0] + left[1] + left[2] > 0) {
      for (int k = 0; k < kinds.length; k++) {
        if (left[k] > 0) {
          order.add(kinds[k]);
          left[k]--;
        }
      }
    }
    List<Step> steps = new ArrayList<>();
    for (int i = 0; i < order.size(); i++) {
      steps.add(new Step(order.get(i), (int) ((long) requests * (i + 1) / (order.size() + 1))));
    }
    return steps;
  }
}
