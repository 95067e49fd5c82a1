package io.flowgate.support;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;

/**
 * Seeded generators of hostile requests: random JSON trees, mutated valid bodies, random bytes, odd
 * headers and DolphinScheduler forms. The same seed gives the same inputs, so a failure found once
 * is replayed with {@code -Dfuzz.seed=<seed>}.
 */
public final class Fuzz {

  /** The seed every run tries, so what it once found stays fixed. */
  public static final long REGRESSION_SEED = 20_261_125L;

  private static final long FRESH_SEED = new SecureRandom().nextLong();

  /**
   * The seeds of this run: {@code fuzz.seed} alone when given; else the regression seed and a fresh
   * one per run (each test names its seed), so every run also explores new inputs.
   */
  public static List<Long> seeds() {
    Long given = Long.getLong("fuzz.seed");
    return given != null ? List.of(given) : List.of(REGRESSION_SEED, FRESH_SEED);
  }

  static final List<String> START_FIELDS =
      List.of("params", "priority", "failureStrategy", "scheduleTime", "workerGroup", "dryRun");
  static final List<String> DOLPHIN_FIELDS =
      List.of(
          "processDefinitionCode",
          "scheduleTime",
          "failureStrategy",
          "warningType",
          "warningGroupId",
          "startNodeList",
          "taskDependType",
          "execType",
          "runMode",
          "processInstancePriority",
          "workerGroup",
          "tenantCode",
          "environmentCode",
          "timeout",
          "startParams",
          "expectedParallelismNumber",
          "dryRun",
          "testFlag",
          "complementDependentMode",
          "version");
  static final List<String> WORDS =
      List.of(
          "HIGHEST",
          "HIGH",
          "MEDIUM",
          "LOW",
          "LOWEST",
          "END",
          "CONTINUE",
          "NONE",
          "ALL",
          "TASK_POST",
          "RUN_MODE_SERIAL",
          "START_PROCESS",
          "OFF_MODE",
          "0",
          "1",
          "-1",
          "2026-01-01 00:00:00",
          "2026-01-01T00:00:00Z",
          "+999999999-12-31T23:59:59Z",
          "1e400",
          "18446744073709551616",
          "9223372036854775807",
          "-0",
          "NaN",
          "' OR 1=1 --",
          "\"; DROP TABLE workflow_instance; --",
          "{\"a\":\"b\"}",
          "[]",
          "null",
          "true",
          "");
  // JSON string contents: escapes included, so NUL and lone surrogates reach the server as such
  static final List<String> STRING_PIECES =
      List.of(
          "a",
          "key",
          " ",
          "\\u0000",
          "\\ud800",
          "\\udc00",
          "\\ud83d\\ude80",
          "\u202e",
          "\ufeff",
          "\\\"",
          "\\\\",
          "\\n",
          "'",
          "%",
          "é",
          "ключ",
          "\u0001",
          "x".repeat(300));
  static final List<String> NUMBERS =
      List.of(
          "0",
          "-1",
          "1",
          "42",
          "1e400",
          "-1e400",
          "18446744073709551616",
          "0.5",
          "-0",
          "1E2",
          "123456789012345678901234567890");
  static final List<String> TOKENS =
      List.of("{", "}", "[", "]", ",", ":", "\"", "null", "1e400", "\\u0000", "[[[[[[[[", "{}{}");

  private final Random random;

  public Fuzz(Random random) {
    this.random = random;
  }

  /** A start body: a random tree, a mutated valid body, or a valid one. */
  public String startBody() {
    return switch (random.nextInt(3)) {
      case 0 -> jsonObject(START_FIELDS, 0);
      case 1 -> mutate(validStartBody());
      default -> validStartBody();
    };
  }

  public String validStartBody() {
    StringBuilder body = new StringBuilder("{\"params\":{");
    int params = random.nextInt(4);
    for (int i = 0; i < params; i++) {
      body.append(i == 0 ? "" : ",").append("\"p").append(i).append("\":\"v").append(i).append('"');
    }
    body.append("},\"priority\":\"")
        .append(pick(List.of("HIGHEST", "HIGH", "MEDIUM", "LOW", "LOWEST")))
        .append("\",\"dryRun\":")
        .append(random.nextBoolean())
        .append('}');
    return body.toString();
  }

  /** A workflow definition: a random one, or a small valid one mutated. */
  public String workflowBody() {
    if (random.nextBoolean()) {
      return mutate(
          "{\"name\":\"w\",\"tasks\":[{\"code\":\"a\",\"type\":\"NOOP\"},"
              + "{\"code\":\"b\",\"type\":\"WAIT\",\"params\":{\"seconds\":1}}],"
              + "\"edges\":[{\"from\":\"a\",\"to\":\"b\"}],\"globalParams\":{\"g\":\"1\"}}");
    }
    StringBuilder tasks = new StringBuilder("[");
    int count = random.nextInt(4);
    for (int i = 0; i < count; i++) {
      tasks
          .append(i == 0 ? "" : ",")
          .append("{\"code\":\"")
          .append(random.nextBoolean() ? "t" + i : string())
          .append("\",\"type\":\"")
          .append(pick(List.of("NOOP", "WAIT", "HTTP", "SHELL", "")))
          .append("\",\"params\":")
          .append(jsonObject(List.of("seconds", "method", "url", "body", "expectStatus"), 1))
          .append(",\"retries\":")
          .append(pick(NUMBERS))
          .append('}');
    }
    return "{\"name\":\""
        + string()
        + "\",\"tasks\":"
        + tasks.append(']')
        + ",\"edges\":[{\"from\":\"t0\",\"to\":\""
        + string()
        + "\"}],\"globalParams\":"
        + jsonObject(List.of("g", "h"), 2)
        + "}";
  }

  /** A random JSON object whose keys are mostly the given field names. */
  public String jsonObject(List<String> fields, int depth) {
    StringBuilder out = new StringBuilder("{");
    int size = random.nextInt(5);
    for (int i = 0; i < size; i++) {
      String key = random.nextInt(5) == 0 ? string() : pick(fields);
      out.append(i == 0 ? "" : ",").append('"').append(key).append("\":").append(json(depth + 1));
    }
    return out.append('}').toString();
  }

  /** Any JSON value, nesting up to a few levels (rarely much deeper). */
  public String json(int depth) {
    int choice = random.nextInt(depth > 3 ? 4 : 7);
    return switch (choice) {
      case 0 -> '"' + string() + '"';
      case 1 -> pick(NUMBERS);
      case 2 -> pick(List.of("true", "false", "null"));
      case 3 -> '"' + pick(WORDS).replace("\"", "\\\"") + '"';
      case 4 -> jsonObject(List.of("a", "params", "priority"), depth);
      case 5 -> "[" + json(depth + 1) + "," + json(depth + 1) + "]";
      default -> random.nextInt(10) == 0 ? "[".repeat(1 + random.nextInt(2000)) : "{}";
    };
  }

  /** The contents of a JSON string (escapes included, quotes not). */
  public String string() {
    StringBuilder out = new StringBuilder();
    int pieces = random.nextInt(4);
    for (int i = 0; i < pieces; i++) {
      out.append(pick(STRING_PIECES));
    }
    return out.toString();
  }

  /** The text with one to four random edits: cut, insert, duplicate, swap, truncate. */
  public String mutate(String text) {
    StringBuilder out = new StringBuilder(text);
    int edits = 1 + random.nextInt(4);
    for (int i = 0; i < edits && out.length() > 0; i++) {
      int at = random.nextInt(out.length());
      switch (random.nextInt(6)) {
        case 0 -> out.delete(at, Math.min(out.length(), at + 1 + random.nextInt(5)));
        case 1 -> out.insert(at, pick(TOKENS));
        case 2 ->
            out.insert(at, out.substring(at, Math.min(out.length(), at + random.nextInt(20))));
        case 3 -> out.setCharAt(at, (char) random.nextInt(0x3000));
        case 4 -> out.setLength(at);
        default -> {
          int other = random.nextInt(out.length());
          char c = out.charAt(at);
          out.setCharAt(at, out.charAt(other));
          out.setCharAt(other, c);
        }
      }
    }
    return out.toString();
  }

  /** Up to 2 KB of random bytes, sometimes after the start of a JSON object. */
  public byte[] bytes() {
    byte[] noise = new byte[random.nextInt(2048)];
    random.nextBytes(noise);
    if (random.nextBoolean()) {
      return noise;
    }
    byte[] prefix = "{\"params\":{\"a\":\"".getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[prefix.length + noise.length];
    System.arraycopy(prefix, 0, out, 0, prefix.length);
    System.arraycopy(noise, 0, out, prefix.length, noise.length);
    return out;
  }

  /**
   * An Idempotency-Key header value, or null for none: often one of a few valid keys (so replays
   * and reuse with another body happen), else odd text. A header carries bytes, so chars stay in
   * ISO-8859-1 and there is no CR or LF.
   */
  public String idempotencyKey() {
    return switch (random.nextInt(4)) {
      case 0 -> null;
      case 1 -> "fuzz-" + random.nextInt(6);
      default -> headerText(1 + random.nextInt(random.nextInt(10) == 0 ? 300 : 40));
    };
  }

  /** A traceparent header value, or null for none: valid, or a valid one mutated. */
  public String traceparent() {
    String valid = "00-" + hex(32) + "-" + hex(16) + "-0" + random.nextInt(2);
    return switch (random.nextInt(4)) {
      case 0 -> null;
      case 1 -> valid;
      default -> headerSafe(mutate(valid));
    };
  }

  /** A DolphinScheduler start form: known fields with odd values, sometimes repeated or garbled. */
  public String form(long workflowCode) {
    StringBuilder out = new StringBuilder();
    if (random.nextInt(5) > 0) {
      out.append("processDefinitionCode=").append(random.nextInt(4) > 0 ? workflowCode : -1);
    }
    int fields = random.nextInt(6);
    for (int i = 0; i < fields; i++) {
      String field = pick(DOLPHIN_FIELDS);
      String value =
          switch (random.nextInt(4)) {
            case 0 -> pick(WORDS);
            case 1 -> field.equals("startParams") ? jsonObject(List.of("a", "b"), 0) : string();
            case 2 -> mutate(pick(WORDS) + "x");
            default -> jsonObject(START_FIELDS, 2);
          };
      out.append(out.length() == 0 ? "" : "&")
          .append(field)
          .append('=')
          .append(URLEncoder.encode(value, StandardCharsets.UTF_8));
    }
    return random.nextInt(5) == 0 ? mutate(out.toString()) : out.toString();
  }

  /** A content type for a native start body: nearly always JSON. */
  public String contentType() {
    return random.nextInt(10) > 0
        ? "application/json"
        : pick(
            List.of(
                "text/plain",
                "application/json; charset=utf-16",
                "application/x-www-form-urlencoded",
                "application/xml",
                "*/*"));
  }

  public boolean oneIn(int n) {
    return random.nextInt(n) == 0;
  }

  private String hex(int length) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < length; i++) {
      out.append(Character.forDigit(random.nextInt(16), 16));
    }
    return out.toString();
  }

  private String headerText(int length) {
    StringBuilder out = new StringBuilder();
    Supplier<Character> any =
        () ->
            switch (random.nextInt(4)) {
              case 0 -> (char) (0x20 + random.nextInt(0x5f));
              case 1 -> (char) (0x80 + random.nextInt(0x80));
              case 2 -> pick(List.of('\t', '\u0001', '\u007f', ' '));
              default -> (char) ('a' + random.nextInt(26));
            };
    for (int i = 0; i < length; i++) {
      out.append(any.get());
    }
    return out.toString();
  }

  private static String headerSafe(String text) {
    StringBuilder out = new StringBuilder();
    text.chars()
        .map(c -> c & 0xff)
        .filter(c -> c != '\r' && c != '\n' && c != 0)
        .forEach(c -> out.append((char) c));
    return out.toString();
  }

  private <T> T pick(List<T> from) {
    return from.get(random.nextInt(from.size()));
  }
}
