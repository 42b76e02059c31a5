package io.aibroker.app.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * A plain-text table with aligned columns for terminals: a header, rows and an optional footer
 * under a rule (e.g. a TOTAL line). Columns are separated by two spaces; lines carry no trailing
 * blanks. Control characters in cells are {@linkplain ControlCharacters#escape escaped}.
 */
final class TextTable {

  /** How a column's cells line up. */
  enum Align {
    /** Text. */
    LEFT,
    /** Numbers. */
    RIGHT
  }

  private final List<String> headers;
  private final List<Align> aligns;
  private final List<List<String>> rows = new ArrayList<>();
  private List<String> footer;

  /** A table with these column headers and alignments (one per column). */
  TextTable(List<String> headers, List<Align> aligns) {
    if (headers.size() != aligns.size()) {
      throw new IllegalArgumentException("one alignment per column");
    }
    this.headers = List.copyOf(headers);
    this.aligns = List.copyOf(aligns);
  }

  /** Adds a row with one cell per column. */
  TextTable row(List<String> cells) {
    rows.add(checked(cells));
    return this;
  }

  /** Sets the line printed under a rule after the rows. */
  TextTable footer(List<String> cells) {
    footer = checked(cells);
    return this;
  }

  /** The table, one line per row, each line ending with a newline. */
  String render() {
    int[] widths = widths();
    StringBuilder out = new StringBuilder();
    line(out, headers, widths);
    rows.forEach(row -> line(out, row, widths));
    if (footer != null) {
      List<String> rule = new ArrayList<>();
      for (int width : widths) {
        rule.add("-".repeat(width));
      }
      line(out, rule, widths);
      line(out, footer, widths);
    }
    return out.toString();
  }

  private int[] widths() {
    int[] widths = new int[headers.size()];
    List<List<String>> all = new ArrayList<>(rows);
    all.add(headers);
    if (footer != null) {
      all.add(footer);
    }
    for (List<String> row : all) {
      for (int i = 0; i < widths.length; i++) {
        widths[i] = Math.max(widths[i], row.get(i).length());
      }
    }
    return widths;
  }

  private void line(StringBuilder out, List<String> cells, int[] widths) {
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < widths.length; i++) {
      if (i > 0) {
        line.append("  ");
      }
      String cell = cells.get(i);
      String pad = " ".repeat(widths[i] - cell.length());
      line.append(aligns.get(i) == Align.RIGHT ? pad + cell : cell + pad);
    }
    out.append(line.toString().stripTrailing()).append('\n');
  }

  private List<String> checked(List<String> cells) {
    if (cells.size() != headers.size()) {
      throw new IllegalArgumentException(
          "expected " + headers.size() + " cells, got " + cells.size());
    }
    // Cells hold ids and names from records; escaped here, they also measure as printed.
    return cells.stream().map(c -> c == null ? "" : ControlCharacters.escape(c)).toList();
  }
}
