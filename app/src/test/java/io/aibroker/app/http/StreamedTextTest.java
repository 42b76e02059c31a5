package io.aibroker.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StreamedTextTest {

  @Test
  void sendsEveryDeltaOfOneAttemptAndNothingMoreAtTheEnd() {
    StreamedText text = new StreamedText();

    assertThat(text.accept(1, "Hello ")).isEqualTo("Hello ");
    assertThat(text.accept(1, "world")).isEqualTo("world");
    assertThat(text.finish("Hello world")).contains("");
  }

  @Test
  void sendsTheRestOfTheFinalTextThatNoChunkCarried() {
    StreamedText text = new StreamedText();
    text.accept(1, "Hello ");

    assertThat(text.finish("Hello world")).contains("world");
    assertThat(text.sent()).isEqualTo("Hello world");
  }

  @Test
  void afterAFailoverSendsOnlyWhatGoesBeyondTheTextAlreadySent() {
    StreamedText text = new StreamedText();
    text.accept(1, "The quick ");
    text.accept(1, "brown ");

    assertThat(text.accept(2, "The quick ")).isEmpty();
    assertThat(text.accept(2, "brown fox")).isEqualTo("fox");
    assertThat(text.finish("The quick brown fox")).contains("");
  }

  @Test
  void holdsBackANewAttemptThatSaysSomethingElseAndCannotEndRight() {
    StreamedText text = new StreamedText();
    text.accept(1, "Bonjour ");

    assertThat(text.accept(2, "Hello there")).isEmpty();
    assertThat(text.finish("Hello there")).isEmpty();
    assertThat(text.sent()).isEqualTo("Bonjour ");
  }
}
