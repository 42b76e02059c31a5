package io.aibroker.reliability.layering.wrongway.broker;

import io.aibroker.reliability.layering.wrongway.app.Platform;
import io.aibroker.reliability.layering.wrongway.schemas.Usd;

/** Fixture, wrong way: the broker reaches up into the app. */
public final class Admission {
  /** Admits a cost, asking the app. */
  public boolean admit(Usd cost) {
    return Platform.running() && cost.micros() >= 0;
  }
}
