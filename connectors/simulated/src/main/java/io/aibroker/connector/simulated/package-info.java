/**
 * A deterministic local stand-in for an AI provider, with configurable latency, jitter, failure
 * rate and 429 bursts. It is the default connector in embedded mode, so the whole broker runs with
 * no credentials, and the load generator for tests and benchmarks. Its in-memory batch API lets
 * embedded mode and worker tests take the batch path with no HTTP.
 */
package io.aibroker.connector.simulated;
