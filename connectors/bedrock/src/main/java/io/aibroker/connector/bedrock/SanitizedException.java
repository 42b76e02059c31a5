package io.aibroker.connector.bedrock;

import io.aibroker.connector.Redaction;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A copy of an SDK exception (and its causes) with credentials taken out of every message, to
 * attach as the cause of a {@link io.aibroker.connector.ProviderException}. The originals can echo
 * what the provider sent back, which may include the key we presented; the copies keep the class
 * names and stack traces that make them worth logging.
 */
final class SanitizedException extends RuntimeException {

  private static final int MAX_DEPTH = 16;

  /** A JSON parser's exception named inside a message, e.g. by the SDK's wrapper exceptions. */
  private static final Pattern PARSER_EXCEPTION =
      Pattern.compile("[\\w.$]*\\.jackson\\.[\\w.$]*Exception");

  private static final String WITHHELD = "(parser detail withheld: it may quote the response)";

  private final String originalClass;

  private SanitizedException(String originalClass, String message, Throwable cause) {
    super(message, cause, true, true);
    this.originalClass = originalClass;
  }

  /** The class name of the exception this is a copy of. */
  String originalClass() {
    return originalClass;
  }

  /** Reads like the original in logs: {@code original.Class: scrubbed message}. */
  @Override
  public String toString() {
    String message = getMessage();
    return message == null ? originalClass : originalClass + ": " + message;
  }

  /**
   * Scrubs {@code text}: every secret becomes {@code ***}, a JSON parser's detail (which can quote
   * the reply, i.e. tenant data) is cut off, then {@link Redaction} masks anything else that looks
   * like a credential.
   */
  static String scrub(String text, List<String> secrets) {
    if (text == null) {
      return null;
    }
    String result = text;
    Matcher parser = PARSER_EXCEPTION.matcher(result);
    if (parser.find()) {
      result = result.substring(0, parser.end()) + ": " + WITHHELD;
    }
    for (String secret : secrets) {
      result = result.replace(secret, "***");
    }
    return Redaction.redact(result);
  }

  /** A scrubbed copy of {@code error}, its causes and suppressed exceptions; null stays null. */
  static SanitizedException copyOf(Throwable error, List<String> secrets) {
    Objects.requireNonNull(secrets, "secrets");
    return copy(error, secrets, Collections.newSetFromMap(new IdentityHashMap<>()), 0);
  }

  private static SanitizedException copy(
      Throwable error, List<String> secrets, Set<Throwable> seen, int depth) {
    if (error == null || depth > MAX_DEPTH || !seen.add(error)) {
      return null;
    }
    String className =
        error instanceof SanitizedException sanitized
            ? sanitized.originalClass
            : error.getClass().getName();
    SanitizedException cause = copy(error.getCause(), secrets, seen, depth + 1);
    String message =
        className.contains(".jackson.") ? WITHHELD : scrub(error.getMessage(), secrets);
    SanitizedException copy = new SanitizedException(className, message, cause);
    copy.setStackTrace(error.getStackTrace());
    for (Throwable suppressed : error.getSuppressed()) {
      SanitizedException suppressedCopy = copy(suppressed, secrets, seen, depth + 1);
      if (suppressedCopy != null) {
        copy.addSuppressed(suppressedCopy);
      }
    }
    return copy;
  }
}
