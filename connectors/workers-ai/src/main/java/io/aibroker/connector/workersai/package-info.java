/**
 * Cloudflare Workers AI connector: {@link io.aibroker.connector.workersai.WorkersAiConnector} calls
 * the native {@code /ai/run/{model}} REST endpoint (or an AI Gateway URL) with the JDK HTTP client;
 * {@link io.aibroker.connector.workersai.WorkersAiErrorMapper} classifies Cloudflare's error codes.
 * Its batch API queues jobs with Workers AI's asynchronous batch API ({@code ?queueRequest=true}).
 * Configured by {@link io.aibroker.connector.workersai.WorkersAiConfig} under the name {@code
 * workers-ai}.
 */
package io.aibroker.connector.workersai;
