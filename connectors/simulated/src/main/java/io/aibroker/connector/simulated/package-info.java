/**
 * A deterministic local stand-in for an AI provider, with configurable latency, jitter, failure
 * rate and 429 bursts. It is the default connector in embedded mode, so the whole broker runs with
 * no credentials, and the load generator for tests and benchmarks.
 */
package io.aibroker.connector.simulated;
