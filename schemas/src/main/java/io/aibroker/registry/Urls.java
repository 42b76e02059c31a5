package io.aibroker.registry;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Makes URLs safe to print: a registry URL may carry its credentials ({@code
 * http://user:password@host:8081}), and those must never reach a terminal, a log or an error
 * message. Also builds the user info a URL carries them in.
 */
public final class Urls {

  private Urls() {}

  /**
   * The URL, or comma-separated URLs or {@code host:port} pairs, with the user info of each
   * removed: {@code http://user:pw@host:8081/path} becomes {@code http://host:8081/path}. Null
   * stays null.
   *
   * <p>Works on text, not on parsed URIs, so that a URL too malformed to parse (a password with a
   * raw {@code @} or {@code /}, say) is cleaned too. It errs on the side of removing: everything
   * between an item's {@code scheme://} (or its start) and the last {@code @} ahead of its query or
   * fragment is taken for user info. Items are split at commas, as the clients split them.
   */
  public static String withoutUserInfo(String urls) {
    if (urls == null || urls.indexOf('@') < 0) {
      return urls;
    }
    String[] items = urls.split(",", -1);
    for (int i = 0; i < items.length; i++) {
      items[i] = itemWithoutUserInfo(items[i]);
    }
    return String.join(",", items);
  }

  private static String itemWithoutUserInfo(String item) {
    int scheme = item.indexOf("://");
    int authority = scheme < 0 ? 0 : scheme + 3;
    int end = item.length();
    for (char terminator : new char[] {'?', '#'}) {
      int at = item.indexOf(terminator, authority);
      if (at >= 0 && at < end) {
        end = at;
      }
    }
    int lastAt = item.lastIndexOf('@', end - 1);
    if (lastAt < authority) {
      return item;
    }
    return item.substring(0, authority) + item.substring(lastAt + 1);
  }

  /**
   * {@code user:password} as the user info of a URL, percent-encoded so that any character of
   * either part survives the URL's parse (the inverse of what the REST client decodes).
   */
  public static String userInfo(String userColonPassword) {
    int colon = userColonPassword.indexOf(':');
    return percentEncode(userColonPassword.substring(0, colon))
        + ":"
        + percentEncode(userColonPassword.substring(colon + 1));
  }

  private static String percentEncode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
