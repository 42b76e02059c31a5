package io.aibroker.reliability.layering.rightway.app.config;

/** Fixture: settings, used by the HTTP API. */
public record Limits(int maxConcurrent) {}
