/**
 * Provider batch jobs: many calls submitted as one asynchronous job, answered within the provider's
 * completion window at the provider's batch price (Azure OpenAI Batch, Bedrock batch inference,
 * Workers AI async batch).
 *
 * <p>A connector that can do this returns a {@link io.aibroker.connector.batch.BatchApi} from
 * {@link io.aibroker.connector.Connector#batch()}. The worker pools calls, records each job on a
 * compacted topic before it acknowledges the calls' dispatch records, submits, polls and turns each
 * line's result into an outcome; connectors only speak the provider's batch protocol.
 */
package io.aibroker.connector.batch;
