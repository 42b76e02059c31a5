package io.aibroker.connector.azureopenai;

import com.azure.ai.openai.models.ChatCompletions;
import com.azure.ai.openai.models.ChatCompletionsOptions;
import com.azure.core.util.BinaryData;
import com.azure.json.JsonProviders;
import com.azure.json.JsonReader;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aibroker.connector.ContentFilteredException;
import io.aibroker.connector.ProviderException;
import io.aibroker.connector.ProviderServerException;
import java.io.IOException;
import java.io.UncheckedIOException;

/** The streaming request body and the decoding of its events. */
final class StreamEvents {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private StreamEvents() {}

  /**
   * {@code options} as a streaming request that reports usage in a last chunk: {@code "stream":
   * true, "stream_options": {"include_usage": true}}. Set on the JSON because the SDK only sets
   * them inside its own streaming method.
   */
  static BinaryData requestBody(ChatCompletionsOptions options) {
    try {
      ObjectNode body = (ObjectNode) JSON.readTree(options.toJsonString());
      body.put("stream", true);
      body.putObject("stream_options").put("include_usage", true);
      return BinaryData.fromString(body.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("could not serialise the chat request", e);
    }
  }

  /**
   * Decodes one event's data. An error event ({@code {"error":{...}}}, sent when generation fails
   * midway) becomes the matching {@link ProviderException}.
   *
   * @throws ProviderException for an error event or data that is not a chunk; its message never
   *     quotes the data, which is the tenant's reply
   */
  static ChatCompletions chunk(String data) {
    ChatCompletions chunk;
    try (JsonReader reader = JsonProviders.createReader(data)) {
      chunk = ChatCompletions.fromJson(reader);
    } catch (IOException | RuntimeException unreadable) {
      throw Responses.malformed("unreadable stream event");
    }
    if (chunk == null) {
      throw Responses.malformed("unreadable stream event");
    }
    if (chunk.getId() == null && chunk.getChoices() == null && chunk.getUsage() == null) {
      throw errorEvent(data);
    }
    return chunk;
  }

  private static ProviderException errorEvent(String data) {
    AzureErrorBody error = AzureErrorBody.parse(data);
    if (error == AzureErrorBody.EMPTY) {
      return Responses.malformed("stream event that is neither a chunk nor an error");
    }
    String message = "error event mid-stream" + (error.code() == null ? "" : ": " + error.code());
    if (error.contentFiltered()) {
      return new ContentFilteredException(
          AzureOpenAiConnector.PROVIDER, message, error.code(), 200, null, null);
    }
    return new ProviderServerException(
        AzureOpenAiConnector.PROVIDER, message, error.code(), 200, null, null);
  }
}
