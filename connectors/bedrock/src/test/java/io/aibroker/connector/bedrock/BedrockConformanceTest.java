package io.aibroker.connector.bedrock;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.aibroker.connector.Connector;
import io.aibroker.connector.TokenUsage;
import io.aibroker.connector.testing.ConnectorConformanceSuite;
import io.aibroker.connector.testing.ExpectedErrors;
import io.aibroker.connector.testing.FakeProviderServer;
import io.aibroker.connector.testing.FakeReplies;
import io.aibroker.connector.testing.RecordedRequest;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;

/**
 * The shared connector conformance suite against {@link BedrockFakeServer}, authenticating with a
 * Bedrock API key. Embeddings use Cohere, which embeds all inputs in one call; Titan (one call per
 * input) is covered by {@link BedrockConnectorTest}.
 */
class BedrockConformanceTest extends ConnectorConformanceSuite {

  static final String CHAT_MODEL = "anthropic.claude-3-haiku-20240307-v1:0";
  static final String COHERE_MODEL = "cohere.embed-english-v3";

  @Override
  protected FakeProviderServer startServer() throws IOException {
    return new BedrockFakeServer();
  }

  @Override
  protected Connector connector(FakeProviderServer server, Duration callTimeout) {
    BedrockConfig config =
        new BedrockConfig("us-east-1", server.baseUri(), CANARY_SECRET, null, callTimeout, 0);
    return new BedrockConnector(config, Clock.systemUTC());
  }

  @Override
  protected String chatModel() {
    return CHAT_MODEL;
  }

  @Override
  protected String embeddingModel() {
    return COHERE_MODEL;
  }

  /**
   * Converse has no reasoning count: reasoning is part of {@code outputTokens}, billed as output.
   */
  @Override
  protected TokenUsage expectedCachedUsage() {
    return FakeReplies.CACHED_CHAT_USAGE.withReasoning(0);
  }

  /** A cachePoint block after the system text (1h) and after the first user message's text. */
  @Override
  protected void assertCachePointsSent(RecordedRequest request) {
    JsonNode body;
    try {
      body = JsonMapper.builder().build().readTree(request.body());
    } catch (IOException e) {
      throw new AssertionError("request body is not JSON", e);
    }
    assertThat(body.path("system").get(0).path("text").asText()).isEqualTo("Be brief.");
    assertThat(body.path("system").get(1).path("cachePoint").path("type").asText())
        .isEqualTo("default");
    assertThat(body.path("system").get(1).path("cachePoint").path("ttl").asText()).isEqualTo("1h");
    JsonNode user = body.path("messages").get(0).path("content");
    assertThat(user.get(0).path("text").asText()).isEqualTo("Say hello.");
    assertThat(user.get(1).path("cachePoint").path("type").asText()).isEqualTo("default");
    assertThat(user.get(1).path("cachePoint").has("ttl"))
        .as("five minutes is Bedrock's default")
        .isFalse();
    assertThat(user.size()).isEqualTo(2);
  }

  @Override
  protected ExpectedErrors expectedErrors() {
    // Bedrock sends no retry hint with its 429s.
    return new ExpectedErrors(
        "ThrottlingException",
        null,
        "ServiceUnavailableException",
        "ValidationException",
        "UnrecognizedClientException",
        "AccessDeniedException");
  }
}
