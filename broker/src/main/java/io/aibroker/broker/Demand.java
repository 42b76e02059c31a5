package io.aibroker.broker;

import java.math.BigDecimal;

/**
 * What admitting a request reserves: the worst case, reconciled with actual usage at completion.
 *
 * @param tokens prompt estimate + the most output tokens the request may produce
 * @param cost worst-case cost over the model's routes
 */
record Demand(long tokens, BigDecimal cost) {}
