/**
 * Connector SPI: the one async interface every AI provider implements ({@link
 * io.aibroker.connector.Connector}), its request/response records, the provider error tree ({@link
 * io.aibroker.connector.ProviderException}) and the shared code around every provider call ({@link
 * io.aibroker.connector.InstrumentedConnector}, {@link io.aibroker.connector.Connectors}).
 *
 * <p>Providers implement only the call and their own error mapping; timing, metrics, token
 * accounting and error classification live once, here.
 */
package io.aibroker.connector;
