package io.aibroker.connector;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Scrubs credentials out of text that came from a provider or an SDK before it becomes an exception
 * message or a log line. Provider error bodies and SDK messages sometimes echo headers or URLs with
 * keys in them; this is a last line of defence, not a licence to pass secrets around.
 */
public final class Redaction {

  /** Longest message kept; provider error bodies can be whole HTML pages. */
  public static final int MAX_LENGTH = 1000;

  private static final String MASK = "***";

  private record Rule(Pattern pattern, String replacement) {}

  private static final List<Rule> RULES =
      List.of(
          new Rule(Pattern.compile("(?i)\\b(bearer|basic)\\s+[A-Za-z0-9._~+/=-]+"), "$1 " + MASK),
          new Rule(
              Pattern.compile(
                  "(?i)((?:api[-_]?key|x-api-key|authorization|access[-_]?token|token|secret"
                      + "|password|client[-_]?secret|access[-_]?key(?:[-_]?id)?|signature|sig"
                      + "|credential)[\"']?\\s*[:=]\\s*[\"']?)"
                      // leave "Authorization: Bearer ***" to the rule above
                      + "(?!(?:bearer|basic)\\s|\\*\\*\\*)[^\\s\"'&,;}]+"),
              "$1" + MASK),
          new Rule(Pattern.compile("\\bsk-[A-Za-z0-9_-]{8,}"), "sk-" + MASK),
          new Rule(Pattern.compile("\\b(AKIA|ASIA)[0-9A-Z]{16}\\b"), "$1" + MASK));

  private Redaction() {}

  /**
   * Returns {@code text} with anything that looks like a credential masked and cut to {@link
   * #MAX_LENGTH} characters; {@code null} stays {@code null}.
   */
  public static String redact(String text) {
    if (text == null) {
      return null;
    }
    String result = text;
    for (Rule rule : RULES) {
      result = rule.pattern().matcher(result).replaceAll(rule.replacement());
    }
    if (result.length() > MAX_LENGTH) {
      result = result.substring(0, MAX_LENGTH) + "...";
    }
    return result;
  }
}
