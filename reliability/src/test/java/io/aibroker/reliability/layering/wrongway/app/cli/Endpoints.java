package io.aibroker.reliability.layering.wrongway.app.cli;

/** Fixture: something the CLI has that others want. */
public record Endpoints(String bootstrapServers) {}
