package io.aibroker.broker;

/**
 * Producer-chosen text quoted in a message of the broker's: control characters escaped and the
 * length capped, so a message can neither rewrite a terminal nor grow with the input.
 */
final class Printable {

  /** Most characters of the input that a message quotes. */
  static final int MAX_CHARS = 128;

  private Printable() {}

  static String of(String text) {
    if (text == null) {
      return "null";
    }
    StringBuilder out = new StringBuilder(Math.min(text.length(), MAX_CHARS) + 8);
    int end = Math.min(text.length(), MAX_CHARS);
    for (int i = 0; i < end; i++) {
      char c = text.charAt(i);
      if (Character.isISOControl(c)) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    if (text.length() > MAX_CHARS) {
      out.append("...(").append(text.length()).append(" characters)");
    }
    return out.toString();
  }
}
