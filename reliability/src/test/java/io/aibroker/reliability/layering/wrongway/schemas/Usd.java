package io.aibroker.reliability.layering.wrongway.schemas;

/** Fixture: a schemas class (the bottom tier). */
public record Usd(long micros) {}
