/**
 * Azure OpenAI connector: chat completions (plain and streamed, with usage) and embeddings through
 * {@code com.azure:azure-ai-openai}'s async client, with an API key or Entra ID ({@code
 * DefaultAzureCredential}), the SDK's own retries turned off, and Azure's error bodies and retry
 * headers mapped onto the {@link io.aibroker.connector.ProviderException} tree.
 *
 * <p>Its {@link io.aibroker.connector.batch.BatchApi} speaks Azure OpenAI Global Batch (files and
 * batches on the same resource, through the same SDK client): JSONL input lines built from the
 * real-time chat request ({@code BatchLines}), jobs tagged with aibroker's job key in their
 * metadata so they can be found again, and output and error files read back into per-line results
 * classified like real-time replies and errors ({@code BatchOutputParser}).
 */
package io.aibroker.connector.azureopenai;
