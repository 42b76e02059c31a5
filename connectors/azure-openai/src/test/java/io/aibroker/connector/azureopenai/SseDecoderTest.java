package io.aibroker.connector.azureopenai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aibroker.connector.ProviderServerException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseDecoderTest {

  private final SseDecoder decoder = new SseDecoder();

  @Test
  void yieldsTheDataOfEachEventUntilDone() {
    List<String> events =
        feed("data: {\"a\":1}\n\ndata: {\"b\":2}\n\ndata: [DONE]\n\ndata: {\"late\":3}\n\n");

    assertThat(events).containsExactly("{\"a\":1}", "{\"b\":2}");
    assertThat(decoder.done()).isTrue();
  }

  @Test
  void eventsSplitAnywhereAcrossBuffersSurviveIncludingMultibyteCharacters() {
    byte[] bytes =
        "data: {\"t\":\"grüße 👋\"}\r\n\r\ndata: {\"u\":1}\n\n".getBytes(StandardCharsets.UTF_8);
    List<String> events = new ArrayList<>();
    for (int i = 0; i < bytes.length; i++) {
      events.addAll(decoder.feed(ByteBuffer.wrap(bytes, i, 1)));
    }

    assertThat(events).containsExactly("{\"t\":\"grüße 👋\"}", "{\"u\":1}");
  }

  @Test
  void readsOnlyTheBuffersRemainingBytes() {
    byte[] backing = "XXXXdata: {\"a\":1}\n\nYYYY".getBytes(StandardCharsets.UTF_8);
    ByteBuffer slice = ByteBuffer.wrap(backing, 4, backing.length - 8).slice();

    assertThat(decoder.feed(slice)).containsExactly("{\"a\":1}");
  }

  @Test
  void commentsOtherFieldsAndCarriageReturnsAreHandled() {
    assertThat(feed(": keep-alive\revent: message\rid: 7\rdata:{\"a\":1}\r\r"))
        .containsExactly("{\"a\":1}");
  }

  @Test
  void multipleDataLinesOfOneEventJoinWithNewlines() {
    assertThat(feed("data: {\"a\":\ndata: 1}\n\n")).containsExactly("{\"a\":\n1}");
  }

  @Test
  void finishHandsOverACompleteEventMissingItsBlankLineButDropsACutLine() {
    feed("data: {\"a\":1}\n");
    assertThat(decoder.finish()).containsExactly("{\"a\":1}");

    SseDecoder cut = new SseDecoder();
    cut.feed(ByteBuffer.wrap("data: {\"a\":".getBytes(StandardCharsets.UTF_8)));
    assertThat(cut.finish()).isEmpty();
  }

  @Test
  void endlessLineIsMalformed() {
    byte[] chunk = new byte[1024 * 1024];
    Arrays.fill(chunk, (byte) 'x');

    assertThatThrownBy(
            () -> {
              for (int i = 0; i < 10; i++) {
                decoder.feed(ByteBuffer.wrap(chunk));
              }
            })
        .isInstanceOf(ProviderServerException.class)
        .hasMessageContaining("malformed response");
  }

  private List<String> feed(String text) {
    return decoder.feed(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
  }
}
