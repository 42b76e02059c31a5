package io.aibroker.app.cli;

import java.util.List;
import java.util.stream.Collectors;

/**
 * CSV as RFC 4180 defines it: comma-separated fields, CRLF line ends, and fields holding a comma, a
 * double quote or a line break enclosed in double quotes with inner quotes doubled.
 */
final class Csv {

  private Csv() {}

  /** One record (line) including its CRLF. */
  static String row(List<String> fields) {
    return fields.stream().map(Csv::field).collect(Collectors.joining(",")) + "\r\n";
  }

  /** One field, quoted when it needs to be. */
  static String field(String value) {
    if (value == null) {
      return "";
    }
    boolean quote =
        value.indexOf(',') >= 0
            || value.indexOf('"') >= 0
            || value.indexOf('\n') >= 0
            || value.indexOf('\r') >= 0;
    return quote ? '"' + value.replace("\"", "\"\"") + '"' : value;
  }
}
