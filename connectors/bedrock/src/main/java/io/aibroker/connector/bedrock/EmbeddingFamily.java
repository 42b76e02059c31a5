package io.aibroker.connector.bedrock;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aibroker.connector.InvalidRequestException;
import io.aibroker.connector.ProviderServerException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelRequest;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelResponse;

/**
 * The embedding models Bedrock serves through InvokeModel, each with its own JSON body: Titan
 * ({@code amazon.titan-embed-*}) embeds one text per call, Cohere ({@code cohere.embed-*}) up to
 * {@value #COHERE_MAX_TEXTS} per call.
 */
enum EmbeddingFamily {

  /** {@code {"inputText":...}} -> {@code {"embedding":[...],"inputTextTokenCount":N}}. */
  TITAN(1) {
    @Override
    ObjectNode body(List<String> inputs) {
      return JSON.createObjectNode().put("inputText", inputs.get(0));
    }

    @Override
    List<List<Float>> vectors(JsonNode body) {
      return List.of(vector(body.get("embedding")));
    }

    @Override
    long inputTokens(JsonNode body, InvokeModelResponse response) {
      JsonNode count = body.get("inputTextTokenCount");
      return count != null && count.canConvertToLong()
          ? count.asLong()
          : super.inputTokens(body, response);
    }
  },

  /**
   * {@code {"texts":[...],"input_type":"search_document"}} -> {@code {"embeddings":[[...]]}} (or
   * {@code {"embeddings":{"float":[[...]]}}} from embed v4); usage only in a response header.
   */
  COHERE(EmbeddingFamily.COHERE_MAX_TEXTS) {
    @Override
    ObjectNode body(List<String> inputs) {
      ObjectNode body = JSON.createObjectNode();
      inputs.forEach(body.putArray("texts")::add);
      // The broker embeds documents for storage and retrieval alike; "search_document" is
      // Cohere's recommended type for that, and queries embedded the same way still match.
      return body.put("input_type", "search_document");
    }

    @Override
    List<List<Float>> vectors(JsonNode body) {
      JsonNode embeddings = body.get("embeddings");
      if (embeddings != null && embeddings.isObject()) {
        embeddings = embeddings.get("float");
      }
      if (embeddings == null || !embeddings.isArray()) {
        throw unreadable("no embeddings array");
      }
      List<List<Float>> vectors = new ArrayList<>(embeddings.size());
      embeddings.forEach(vector -> vectors.add(vector(vector)));
      return vectors;
    }
  };

  /** Most texts Cohere embeds in one call. */
  static final int COHERE_MAX_TEXTS = 96;

  /** Bedrock's header with the prompt tokens of an InvokeModel call. */
  static final String INPUT_TOKEN_HEADER = "X-Amzn-Bedrock-Input-Token-Count";

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final int batchSize;

  EmbeddingFamily(int batchSize) {
    this.batchSize = batchSize;
  }

  /**
   * The family of {@code modelId}; also matches inference profiles ({@code us.cohere.embed-v4:0}).
   *
   * @throws InvalidRequestException for models of other families
   */
  static EmbeddingFamily of(String modelId) {
    String id = modelId.toLowerCase(Locale.ROOT);
    if (id.contains("titan-embed")) {
      return TITAN;
    }
    if (id.contains("cohere.embed")) {
      return COHERE;
    }
    throw new InvalidRequestException(
        BedrockErrorMapper.PROVIDER,
        "Bedrock embeddings support amazon.titan-embed-* and cohere.embed-* models, not '"
            + modelId
            + "'");
  }

  /** The InvokeModel requests embedding {@code inputs}, in input order. */
  List<BatchRequest> requests(String modelId, List<String> inputs) {
    List<BatchRequest> requests = new ArrayList<>();
    for (int from = 0; from < inputs.size(); from += batchSize) {
      List<String> batch = inputs.subList(from, Math.min(inputs.size(), from + batchSize));
      InvokeModelRequest request =
          InvokeModelRequest.builder()
              .modelId(modelId)
              .contentType("application/json")
              .accept("application/json")
              .body(SdkBytes.fromUtf8String(body(batch).toString()))
              .build();
      requests.add(new BatchRequest(request, batch.size()));
    }
    return requests;
  }

  /** One InvokeModel request and how many inputs it embeds. */
  record BatchRequest(InvokeModelRequest request, int inputs) {}

  /**
   * The vectors and prompt tokens of one response to a request for {@code expected} inputs.
   *
   * @throws ProviderServerException if the body is not what the model promises
   */
  Batch parse(InvokeModelResponse response, int expected) {
    JsonNode body;
    try {
      body = JSON.readTree(response.body() == null ? "" : response.body().asUtf8String());
    } catch (JsonProcessingException e) {
      // Not the parser's message: it quotes the body, which holds tenant data.
      throw unreadable("body is not JSON");
    }
    if (body == null || !body.isObject()) {
      throw unreadable("body is not a JSON object");
    }
    List<List<Float>> vectors = vectors(body);
    if (vectors.size() != expected) {
      throw unreadable(vectors.size() + " embeddings for " + expected + " inputs");
    }
    return new Batch(vectors, inputTokens(body, response));
  }

  /** Vectors and prompt tokens of one InvokeModel call. */
  record Batch(List<List<Float>> vectors, long inputTokens) {}

  abstract ObjectNode body(List<String> inputs);

  abstract List<List<Float>> vectors(JsonNode body);

  long inputTokens(JsonNode body, InvokeModelResponse response) {
    if (response.sdkHttpResponse() == null) {
      return 0;
    }
    return response
        .sdkHttpResponse()
        .firstMatchingHeader(INPUT_TOKEN_HEADER)
        .flatMap(EmbeddingFamily::parseCount)
        .orElse(0L);
  }

  private static Optional<Long> parseCount(String value) {
    try {
      long count = Long.parseLong(value.trim());
      return count >= 0 ? Optional.of(count) : Optional.empty();
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static List<Float> vector(JsonNode node) {
    if (node == null || !node.isArray() || node.isEmpty()) {
      throw unreadable("no embedding vector");
    }
    List<Float> vector = new ArrayList<>(node.size());
    for (JsonNode value : node) {
      if (!value.isNumber()) {
        throw unreadable("non-numeric embedding value");
      }
      vector.add(value.floatValue());
    }
    return vector;
  }

  private static ProviderServerException unreadable(String what) {
    return new ProviderServerException(
        BedrockErrorMapper.PROVIDER, "unreadable InvokeModel embedding response: " + what);
  }
}
