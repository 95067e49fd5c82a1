package io.flowgate.definition;

import java.util.regex.Pattern;

/**
 * Rules for client text that Flowgate stores. PostgreSQL refuses NUL in text and jsonb, and an
 * unpaired surrogate has no UTF-8 form (it would be stored as '?'), so both are refused up front.
 * Names also refuse control and format characters (e.g. a right-to-left override), which can make a
 * name read as something it is not. {@link #shown} keeps hostile text out of error details.
 */
public final class SafeText {

  private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

  private SafeText() {}

  /** What is wrong with text to be stored, or null if nothing. */
  public static String problem(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '\u0000') {
        return "must not contain NUL characters";
      }
      if (Character.isHighSurrogate(c)
          && i + 1 < value.length()
          && Character.isLowSurrogate(value.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return "must be valid Unicode (it has an unpaired surrogate)";
      }
    }
    return null;
  }

  /** What is wrong with a name, or null: the text rules plus no control or format characters. */
  public static String nameProblem(String value) {
    String problem = problem(value);
    if (problem != null) {
      return problem;
    }
    boolean hidden =
        value
            .codePoints()
            .map(Character::getType)
            .anyMatch(type -> type == Character.CONTROL || type == Character.FORMAT);
    return hidden ? "must not contain control or formatting characters" : null;
  }

  /** A client-given name as an error detail may show it: itself when plain, else a stand-in. */
  public static String shown(String name) {
    return name != null && PLAIN.matcher(name).matches() ? name : "(not shown)";
  }
}
