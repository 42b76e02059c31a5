package io.aibroker.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CsvTest {

  @ParameterizedTest(name = "[{0}] -> [{1}]")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '\'',
      value = {
        "acme|acme",
        "0.0000015|0.0000015",
        "a,b|\"a,b\"",
        "say \"hi\"|\"say \"\"hi\"\"\"",
        "''|''",
      })
  void quotesOnlyFieldsThatNeedIt(String value, String expected) {
    assertThat(Csv.field(value)).isEqualTo(expected);
  }

  @Test
  void quotesFieldsWithLineBreaks() {
    assertThat(Csv.field("two\nlines")).isEqualTo("\"two\nlines\"");
    assertThat(Csv.field("cr\rhere")).isEqualTo("\"cr\rhere\"");
  }

  @Test
  void writesANullFieldAsEmpty() {
    assertThat(Csv.field(null)).isEmpty();
  }

  @Test
  void endsEachRowWithCrLf() {
    assertThat(Csv.row(List.of("a", "b,c", ""))).isEqualTo("a,\"b,c\",\r\n");
  }
}
