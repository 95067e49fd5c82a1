package io.flowgate.dolphinscheduler;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The request parameters of a DS call as Spring's {@code @RequestParam} sees them: the query string
 * and the form body (urlencoded or multipart) together. A parameter given twice (twice in one part
 * or once in each) is refused by name rather than guessed at; Spring would join or pick one.
 */
public final class DsParams {

  private final Map<String, String> values;

  private DsParams(Map<String, String> values) {
    this.values = values;
  }

  /** The value, or null when absent; Spring trims nothing for String targets, nor do we. */
  public String get(String name) {
    return values.get(name);
  }

  /** The value, or null when absent or empty: Spring's rule for non-String targets and defaults. */
  public String nonEmpty(String name) {
    String value = values.get(name);
    return value == null || value.isEmpty() ? null : value;
  }

  public boolean has(String name) {
    return values.containsKey(name);
  }

  /** Query string plus an urlencoded body (either may be null). */
  public static DsParams of(String rawQuery, byte[] urlencoded, DsStatus onError) {
    Map<String, String> values = new HashMap<>();
    merge(
        values, form(rawQuery == null ? null : rawQuery.getBytes(StandardCharsets.UTF_8), onError));
    merge(values, form(urlencoded, onError));
    return new DsParams(values);
  }

  /** Query string plus the text parts of a multipart body. */
  public static <V> DsParams of(
      String rawQuery,
      Map<String, ? extends Collection<V>> parts,
      Function<V, String> text,
      DsStatus onError) {
    Map<String, String> values = new HashMap<>();
    merge(
        values, form(rawQuery == null ? null : rawQuery.getBytes(StandardCharsets.UTF_8), onError));
    Map<String, String> fromParts = new HashMap<>();
    parts.forEach(
        (name, list) -> {
          if (list.size() > 1) {
            throw repeated(name, onError);
          }
          list.forEach(v -> fromParts.put(name, text.apply(v)));
        });
    merge(values, fromParts);
    return new DsParams(values);
  }

  private static Map<String, String> form(byte[] bytes, DsStatus onError) {
    Map<String, String> out = new HashMap<>();
    if (bytes == null || bytes.length == 0) {
      return out;
    }
    FormBody form;
    try {
      form = FormBody.parse(bytes);
    } catch (FormBody.Malformed e) {
      throw new DsException(onError, e.getMessage());
    }
    for (String name : form.names()) {
      if (form.repeated(name)) {
        throw repeated(name, onError);
      }
      out.put(name, form.get(name));
    }
    return out;
  }

  private static void merge(Map<String, String> into, Map<String, String> from) {
    from.forEach(
        (name, value) -> {
          if (into.putIfAbsent(name, value) != null) {
            throw repeated(name, DsStatus.REQUEST_PARAMS_NOT_VALID_ERROR);
          }
        });
  }

  private static DsException repeated(String name, DsStatus ignored) {
    String shown = io.flowgate.definition.SafeText.shown(name);
    return new DsException(
        DsStatus.REQUEST_PARAMS_NOT_VALID_ERROR, shown + ": given more than once", shown);
  }
}
