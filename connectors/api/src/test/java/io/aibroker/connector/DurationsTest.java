package io.aibroker.connector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "20ms, PT0.02S",
    "2s, PT2S",
    "1.5s, PT1.5S",
    "250us, PT0.00025S",
    "100ns, PT0.0000001S",
    "2m, PT2M",
    "1h30m, PT1H30M",
    "'1h 30m', PT1H30M",
    "1d, PT24H",
    "20 MS, PT0.02S",
    "0, PT0S",
    "PT0.02S, PT0.02S",
    "pt1m, PT1M",
  })
  void parsesSimpleAndIsoForms(String text, String iso) {
    assertThat(Durations.parse(text)).isEqualTo(Duration.parse(iso));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "20", "ms", "20 parsecs", "-5ms", "1.s", "PTX", "5s garbage"})
  void rejectsAnythingElseNamingBothForms(String text) {
    assertThatThrownBy(() -> Durations.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Invalid duration '" + text + "'")
        .hasMessageContaining("500ms")
        .hasMessageContaining("PT0.5S");
  }
}
