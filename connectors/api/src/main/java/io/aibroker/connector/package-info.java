/**
 * Connector SPI: the one async interface every AI provider implements ({@link
 * io.aibroker.connector.Connector}), its request/response records, the provider error tree ({@link
 * io.aibroker.connector.ProviderException}) and the shared code around every provider call ({@link
 * io.aibroker.connector.InstrumentedConnector}, {@link io.aibroker.connector.Connectors}).
 *
 * <p>Providers implement only the call and their own error mapping; timing and error classification
 * ({@link io.aibroker.connector.ProviderErrors}) live once, here. The worker, which makes every
 * call, records the call metrics once ({@link io.aibroker.connector.ConnectorMetrics} names the
 * ones dashboards read under the connector's name).
 */
package io.aibroker.connector;
