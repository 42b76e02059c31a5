package io.aibroker.reliability.layering.rightway.broker;

import io.aibroker.reliability.layering.rightway.schemas.Usd;

/** Fixture: the broker uses schemas, below it. */
public final class Admission {
  /** Admits a cost. */
  public boolean admit(Usd cost) {
    return cost.micros() >= 0;
  }
}
