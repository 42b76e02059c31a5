package io.aibroker.app.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.groups.Tuple.tuple;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.aibroker.records.CacheLifetime;
import io.aibroker.records.ChatMessage;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChatMessagesTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static List<ChatMessage> messages(String json) throws Exception {
    return ChatMessages.of(JSON.readTree(json.replace('\'', '"')));
  }

  private static ChatMessages.Invalid invalid(String json) {
    Throwable thrown = catchThrowable(() -> messages(json));
    assertThat(thrown).isInstanceOf(ChatMessages.Invalid.class);
    return (ChatMessages.Invalid) thrown;
  }

  @Test
  void messagesWithoutCacheControlHaveNoCachePoint() throws Exception {
    var messages =
        messages(
            "[{'role': 'system', 'content': 'Be brief.'},"
                + " {'role': 'user', 'content': [{'type': 'text', 'text': 'Hel'},"
                + " {'type': 'image_url', 'image_url': {'url': 'x'}}, {'type': 'text', 'text': 'lo'}]}]");

    assertThat(messages)
        .extracting(ChatMessage::getRole, ChatMessage::getContent, ChatMessage::getCachePoint)
        .containsExactly(tuple("system", "Be brief.", null), tuple("user", "Hello", null));
  }

  @Test
  void anEphemeralCacheControlOnAMessageIsAFiveMinuteCachePoint() throws Exception {
    var messages =
        messages(
            "[{'role': 'system', 'content': 'Long instructions', 'cache_control': {'type':"
                + " 'ephemeral'}}, {'role': 'user', 'content': 'Hi'}]");

    assertThat(messages.get(0).getCachePoint()).isEqualTo(CacheLifetime.FIVE_MINUTES);
    assertThat(messages.get(1).getCachePoint()).isNull();
  }

  @Test
  void ttlsOfFiveMinutesAndOneHourMapToTheirLifetimes() throws Exception {
    var messages =
        messages(
            "[{'role': 'system', 'content': 'a', 'cache_control': {'type': 'ephemeral', 'ttl':"
                + " '1h'}}, {'role': 'user', 'content': 'b', 'cache_control': {'type':"
                + " 'ephemeral', 'ttl': '5m'}}]");

    assertThat(messages)
        .extracting(ChatMessage::getCachePoint)
        .containsExactly(CacheLifetime.ONE_HOUR, CacheLifetime.FIVE_MINUTES);
  }

  @Test
  void aCacheControlOnTheLastContentPartMarksItsMessage() throws Exception {
    var messages =
        messages(
            "[{'role': 'user', 'content': [{'type': 'text', 'text': 'document '}, {'type': 'text',"
                + " 'text': 'text', 'cache_control': {'type': 'ephemeral', 'ttl': '1h'}}]}]");

    assertThat(messages.get(0).getContent()).isEqualTo("document text");
    assertThat(messages.get(0).getCachePoint()).isEqualTo(CacheLifetime.ONE_HOUR);
  }

  @Test
  void aNullCacheControlIsNone() throws Exception {
    assertThat(messages("[{'role': 'user', 'content': 'Hi', 'cache_control': null}]").get(0))
        .extracting(ChatMessage::getCachePoint)
        .isNull();
  }

  @Test
  void anUnknownTtlIsRefusedNamingTheParameter() {
    var e =
        invalid(
            "[{'role': 'user', 'content': 'a'}, {'role': 'user', 'content': 'b', 'cache_control':"
                + " {'type': 'ephemeral', 'ttl': '2h'}}]");

    assertThat(e.param()).isEqualTo("messages[1].cache_control.ttl");
    assertThat(e.getMessage()).contains("\"5m\" or \"1h\"");
  }

  @Test
  void aTypeOtherThanEphemeralIsRefused() {
    var e = invalid("[{'role': 'user', 'content': 'b', 'cache_control': {'type': 'persistent'}}]");

    assertThat(e.param()).isEqualTo("messages[0].cache_control.type");
  }

  @Test
  void aCacheControlThatIsNotAnObjectIsRefused() {
    assertThat(invalid("[{'role': 'user', 'content': 'b', 'cache_control': 'ephemeral'}]").param())
        .isEqualTo("messages[0].cache_control");
    assertThat(
            invalid(
                    "[{'role': 'user', 'content': 'b', 'cache_control': {'type': 'ephemeral', 'ttl': 3600}}]")
                .param())
        .isEqualTo("messages[0].cache_control.ttl");
  }

  @Test
  void aCacheControlOnAnEarlierContentPartIsRefusedRatherThanMoved() {
    var e =
        invalid(
            "[{'role': 'user', 'content': [{'type': 'text', 'text': 'a', 'cache_control': {'type':"
                + " 'ephemeral'}}, {'type': 'text', 'text': 'b'}]}]");

    assertThat(e.param()).isEqualTo("messages[0].content[0].cache_control");
    assertThat(e.getMessage()).contains("last content part");
  }

  @Test
  void differentTtlsOnAMessageAndItsLastPartAreRefused() {
    var e =
        invalid(
            "[{'role': 'user', 'cache_control': {'type': 'ephemeral', 'ttl': '1h'}, 'content':"
                + " [{'type': 'text', 'text': 'a', 'cache_control': {'type': 'ephemeral'}}]}]");

    assertThat(e.param()).isEqualTo("messages[0].cache_control");
  }

  @Test
  void theSameTtlOnAMessageAndItsLastPartIsAccepted() throws Exception {
    var messages =
        messages(
            "[{'role': 'user', 'cache_control': {'type': 'ephemeral', 'ttl': '1h'}, 'content':"
                + " [{'type': 'text', 'text': 'a', 'cache_control': {'type': 'ephemeral', 'ttl':"
                + " '1h'}}]}]");

    assertThat(messages.get(0).getCachePoint()).isEqualTo(CacheLifetime.ONE_HOUR);
  }

  @Test
  void theMessageDoesNotEchoTheTenantsValue() {
    var e =
        invalid(
            "[{'role': 'user', 'content': 'b', 'cache_control': {'type': 'ephemeral', 'ttl':"
                + " 'secret-looking-value'}}]");

    assertThat(e.getMessage()).doesNotContain("secret-looking-value");
  }
}
