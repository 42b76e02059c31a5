package io.aibroker.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class ControlCharactersTest {

  @Test
  void controlCharactersBecomeVisibleEscapes() {
    assertThat(ControlCharacters.escape("\u001b[2Jx\r")).isEqualTo("\\u001b[2Jx\\r");
    assertThat(ControlCharacters.escape("a\nb\tc\u0000d\u0007"))
        .isEqualTo("a\\nb\\tc\\u0000d\\u0007");
    assertThat(ControlCharacters.escape("del\u007f c1\u009b\u0085\u0080"))
        .isEqualTo("del\\u007f c1\\u009b\\u0085\\u0080");
  }

  @Test
  void printableTextIsLeftAsItIs() {
    String text = "Grüße ¡olé! 日本 \u00a0nbsp 🚀 back\\slash \"quoted\"";

    assertThat(ControlCharacters.escape(text)).isSameAs(text);
    assertThat(ControlCharacters.escape("")).isEmpty();
    assertThat(ControlCharacters.escape(null)).isNull();
  }

  @Test
  void anEscapedJsonLineIsStillJsonWithTheSameValue() throws Exception {
    ObjectMapper json = new ObjectMapper();
    String value = "id\u001b[2J\u009b31m\u007f\r\n\"end\"";
    String line = json.writeValueAsString(json.createObjectNode().put("requestId", value));

    String escaped = ControlCharacters.escape(line);

    assertThat(escaped).doesNotContain("\u001b", "\u009b", "\u007f", "\r", "\n");
    assertThat(json.readTree(escaped).get("requestId").asText()).isEqualTo(value);
  }
}
