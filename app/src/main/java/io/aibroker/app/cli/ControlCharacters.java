package io.aibroker.app.cli;

/**
 * Makes text safe for a terminal. Values the CLI prints (request and tenant ids, reasons, keys,
 * error messages) may come from anyone who can write a record; a control character among them would
 * be obeyed by the operator's terminal: ESC sequences clear or rewrite the screen, CR overwrites
 * the line. Every human-readable line the commands print goes through {@link #escape}.
 *
 * <p>The escapes are JSON's (<code>&#92;n</code>, <code>&#92;r</code>, <code>&#92;t</code>, <code>
 * &#92;u001b</code>), so escaping a line of JSON keeps it valid JSON with the same value: it also
 * covers what Jackson leaves raw (DEL and the C1 controls).
 */
public final class ControlCharacters {

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private ControlCharacters() {}

  /**
   * The text with every C0 control character (U+0000 to U+001F, line breaks and tab included), DEL
   * (U+007F) and C1 control character (U+0080 to U+009F) replaced by a visible escape; null stays
   * null. Backslashes are left alone.
   */
  public static String escape(String text) {
    if (text == null || !containsControl(text)) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (isControl(c)) {
            out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.toString();
  }

  private static boolean containsControl(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (isControl(text.charAt(i))) {
        return true;
      }
    }
    return false;
  }

  private static boolean isControl(char c) {
    return c < 0x20 || (c >= 0x7F && c <= 0x9F);
  }
}
