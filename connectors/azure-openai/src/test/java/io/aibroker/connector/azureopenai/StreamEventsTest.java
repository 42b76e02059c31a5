package io.aibroker.connector.azureopenai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.ai.openai.models.ChatCompletions;
import com.azure.ai.openai.models.ChatCompletionsOptions;
import com.azure.ai.openai.models.ChatRequestUserMessage;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.aibroker.connector.ContentFilteredException;
import io.aibroker.connector.ErrorClass;
import io.aibroker.connector.ProviderServerException;
import java.util.List;
import org.junit.jupiter.api.Test;

class StreamEventsTest {

  @Test
  void requestBodyAsksForAStreamWithUsage() throws Exception {
    ChatCompletionsOptions options =
        new ChatCompletionsOptions(List.of(new ChatRequestUserMessage("hi"))).setMaxTokens(5);

    JsonNode body =
        JsonMapper.builder().build().readTree(StreamEvents.requestBody(options).toString());

    assertThat(body.path("stream").asBoolean()).isTrue();
    assertThat(body.path("stream_options").path("include_usage").asBoolean()).isTrue();
    assertThat(body.path("max_tokens").asInt()).isEqualTo(5);
    assertThat(body.path("messages").get(0).path("content").asText()).isEqualTo("hi");
  }

  @Test
  void decodesAChunk() {
    ChatCompletions chunk =
        StreamEvents.chunk(
            "{\"id\":\"c\",\"created\":1,\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"}}]}");

    assertThat(chunk.getChoices().get(0).getDelta().getContent()).isEqualTo("Hi");
  }

  @Test
  void unreadableEventIsMalformedWithoutQuotingIt() {
    assertThatThrownBy(
            () ->
                StreamEvents.chunk(
                    "{\"id\":\"c\",\"choices\":[{\"delta\":{\"content\":\"secret rep"))
        .isInstanceOf(ProviderServerException.class)
        .hasMessageContaining("malformed response")
        .hasMessageNotContaining("secret rep")
        .hasNoCause();
  }

  @Test
  void errorEventMidStreamIsAnError() {
    assertThatThrownBy(
            () ->
                StreamEvents.chunk("{\"error\":{\"code\":\"server_error\",\"message\":\"boom\"}}"))
        .isInstanceOfSatisfying(
            ProviderServerException.class,
            error -> {
              assertThat(error.providerCode()).isEqualTo("server_error");
              assertThat(error.errorClass()).isEqualTo(ErrorClass.RETRYABLE);
            });
    assertThatThrownBy(
            () -> StreamEvents.chunk("{\"error\":{\"code\":\"content_filter\",\"message\":\"x\"}}"))
        .isInstanceOf(ContentFilteredException.class);
  }
}
