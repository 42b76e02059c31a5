/**
 * Amazon Bedrock connector on the AWS SDK for Java v2 ({@code bedrockruntime}): Converse for chat,
 * ConverseStream for streamed chat and InvokeModel for Titan and Cohere embeddings, all on the
 * async Netty client so thousands of calls can be in flight without a thread each. With {@link
 * io.aibroker.connector.bedrock.BedrockBatchConfig batch} configured, the connector's batch API
 * runs batch inference jobs: JSONL files on S3 and model invocation jobs of the {@code bedrock}
 * control plane.
 *
 * <p>Entry points: {@link io.aibroker.connector.bedrock.BedrockConnectorFactory} (found with {@link
 * java.util.ServiceLoader} under the name {@code bedrock}), {@link
 * io.aibroker.connector.bedrock.BedrockConfig} and {@link
 * io.aibroker.connector.bedrock.BedrockErrorMapper}.
 */
package io.aibroker.connector.bedrock;
