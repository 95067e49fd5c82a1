package io.flowgate.dolphinscheduler;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * A strict {@code application/x-www-form-urlencoded} body: every name and value must decode to
 * well-formed UTF-8 with valid percent escapes. A name given twice is remembered, so a caller can
 * refuse it where which of two values counts would be a guess. The body is already bounded by
 * {@code flowgate.request.max-body}.
 */
public final class FormBody {

  /** Why a form could not be read; the message names no client text. */
  public static final class Malformed extends Exception {
    private static final long serialVersionUID = 1L;

    Malformed(String message) {
      super(message, null, false, false);
    }
  }

  private final Map<String, String> values;
  private final Set<String> repeated;

  private FormBody(Map<String, String> values, Set<String> repeated) {
    this.values = values;
    this.repeated = repeated;
  }

  /** The (first) value of a field, or null when the form does not have it. */
  public String get(String name) {
    return values.get(name);
  }

  /** Every field name of the form. */
  public Set<String> names() {
    return values.keySet();
  }

  /** Whether the form gives this field more than once. */
  public boolean repeated(String name) {
    return repeated.contains(name);
  }

  public static FormBody parse(byte[] body) throws Malformed {
    Map<String, String> values = new HashMap<>();
    Set<String> repeated = new HashSet<>();
    int start = 0;
    while (start <= body.length) {
      int end = indexOf(body, (byte) '&', start);
      if (end > start) {
        int equals = indexOf(body, (byte) '=', start);
        int nameEnd = Math.min(equals, end);
        String name = decode(body, start, nameEnd);
        String value = nameEnd < end ? decode(body, nameEnd + 1, end) : "";
        if (values.putIfAbsent(name, value) != null) {
          repeated.add(name);
        }
      }
      start = end + 1;
    }
    return new FormBody(values, repeated);
  }

  private static int indexOf(byte[] body, byte b, int from) {
    for (int i = from; i < body.length; i++) {
      if (body[i] == b) {
        return i;
      }
    }
    return body.length;
  }

  private static String decode(byte[] body, int from, int to) throws Malformed {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(to - from);
    for (int i = from; i < to; i++) {
      byte b = body[i];
      if (b == '+') {
        bytes.write(' ');
      } else if (b == '%') {
        if (i + 2 >= to || hex(body[i + 1]) < 0 || hex(body[i + 2]) < 0) {
          throw new Malformed("a form field has an invalid percent escape");
        }
        bytes.write(hex(body[i + 1]) * 16 + hex(body[i + 2]));
        i += 2;
      } else {
        bytes.write(b);
      }
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes.toByteArray()))
          .toString();
    } catch (CharacterCodingException e) {
      throw new Malformed("a form field is not valid UTF-8");
    }
  }

  private static int hex(byte b) {
    return Character.digit(b, 16);
  }
}
