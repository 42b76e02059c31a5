package io.aibroker.broker;

import io.aibroker.money.Usd;
import java.math.BigDecimal;

/**
 * Tokens and cost of a request: the worst case admitting it reserves, or what it actually used,
 * which replaces the reservation at completion.
 *
 * @param tokens prompt estimate + the most output tokens the request may produce (or the tokens
 *     used)
 * @param cost worst-case cost over the model's routes (or the cost of the call)
 */
record Demand(long tokens, BigDecimal cost) {

  /** No tokens, no cost. */
  static final Demand NONE = new Demand(0, Usd.ZERO);
}
