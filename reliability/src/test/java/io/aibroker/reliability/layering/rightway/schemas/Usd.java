package io.aibroker.reliability.layering.rightway.schemas;

/** Fixture: a schemas class (the bottom tier). */
public record Usd(long micros) {}
