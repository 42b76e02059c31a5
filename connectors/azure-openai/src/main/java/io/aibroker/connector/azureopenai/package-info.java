/**
 * Azure OpenAI connector: chat completions (plain and streamed, with usage) and embeddings through
 * {@code com.azure:azure-ai-openai}'s async client, with an API key or Entra ID ({@code
 * DefaultAzureCredential}), the SDK's own retries turned off, and Azure's error bodies and retry
 * headers mapped onto the {@link io.aibroker.connector.ProviderException} tree.
 */
package io.aibroker.connector.azureopenai;
