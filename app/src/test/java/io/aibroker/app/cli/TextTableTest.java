package io.aibroker.app.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aibroker.app.cli.TextTable.Align;
import java.util.List;
import org.junit.jupiter.api.Test;

class TextTableTest {

  private final TextTable table =
      new TextTable(List.of("NAME", "COUNT"), List.of(Align.LEFT, Align.RIGHT));

  @Test
  void padsTextToTheLeftAndNumbersToTheRightOfTheWidestCell() {
    String out = table.row(List.of("a", "1")).row(List.of("longer", "12345")).render();

    assertThat(out).isEqualTo("NAME    COUNT\n" + "a           1\n" + "longer  12345\n");
  }

  @Test
  void printsTheFooterUnderARuleAsWideAsEachColumn() {
    String out = table.row(List.of("a", "1")).footer(List.of("TOTAL", "1")).render();

    assertThat(out.lines())
        .containsExactly("NAME   COUNT", "a          1", "-----  -----", "TOTAL      1");
  }

  @Test
  void leavesNoTrailingBlanksAfterAnEmptyLastCell() {
    var twoText = new TextTable(List.of("A", "B"), List.of(Align.LEFT, Align.LEFT));

    String out = twoText.row(List.of("x", "")).row(List.of("y", "long")).render();

    assertThat(out.lines()).allSatisfy(line -> assertThat(line).doesNotEndWith(" "));
  }

  @Test
  void printsControlCharactersInCellsEscapedAndAlignsThemAsPrinted() {
    String out = table.row(List.of("\u001b[2J\r", "1")).row(List.of("b\nc", "2")).render();

    assertThat(out)
        .isEqualTo("NAME         COUNT\n" + "\\u001b[2J\\r      1\n" + "b\\nc             2\n");
  }

  @Test
  void printsOnlyTheHeaderWhenThereAreNoRows() {
    assertThat(table.render()).isEqualTo("NAME  COUNT\n");
  }

  @Test
  void rejectsARowWithTheWrongNumberOfCells() {
    assertThatThrownBy(() -> table.row(List.of("only one")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expected 2 cells");
  }
}
