package io.flowgate.api;

import static io.restassured.RestAssured.given;
import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.flowgate.problem.DolphinCodes;
import io.flowgate.support.Api;
import io.flowgate.support.Db;
import io.flowgate.support.EmbeddedPostgresResource;
import io.flowgate.support.FixtureWorkflow;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.config.EncoderConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.net.URLEncoder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hostile input on every write endpoint, native and DolphinScheduler-compatible: each case gets a
 * definitive refusal with its stable code, writes nothing, and leaks no stack trace or SQL. A
 * second table shows injection-looking text is plain data, stored as sent; a third that a malformed
 * {@code traceparent} is ignored (W3C Trace Context) and a fresh trace starts.
 */
@QuarkusTest
@WithTestResource(EmbeddedPostgresResource.class)
class HostileInputTest {

  static final String START = "/api/v1/projects/{p}/workflows/{w}/instances";
  static final String BATCH = "/api/v1/projects/{p}/instances:batch";
  static final String WORKFLOWS = "/api/v1/projects/{p}/workflows";
  static final String DOLPHIN = "/dolphinscheduler/projects/{p}/executors/start-process-instance";
  static final String LIST = "/api/v1/projects/{p}/instances";
  static final String JSON = "application/json";
  static final String FORM = "application/x-www-form-urlencoded";

  static final String BAD = "BAD_REQUEST";
  static final String INVALID = "VALIDATION_FAILED";
  static final String DAG = "INVALID_DAG";
  static final String TOO_LARGE = "PAYLOAD_TOO_LARGE";
  static final String MEDIA = "UNSUPPORTED_MEDIA_TYPE";
  static final String NOT_FOUND = "NOT_FOUND";
  // DolphinScheduler's transport: a refusal is HTTP 200 with DS's code; 10001
  // REQUEST_PARAMS_NOT_VALID_ERROR for a value refused by name, 50014 START_PROCESS_INSTANCE_ERROR
  // for what Spring cannot bind (ApiExceptionHandler 3.2.2 line 45), 10002 for the timeout
  // (ExecutorServiceImpl line 233), 50080 for the parallelism (line 240)
  static final int DS = DolphinCodes.REQUEST_PARAMS_NOT_VALID_ERROR;
  static final int DS_BIND = DolphinCodes.START_PROCESS_INSTANCE_ERROR;

  static final String TWO_POW_64 = "18446744073709551616";
  static final String HUGE_FLOAT = "1e400";
  static final String X4097 = "x".repeat(4097);

  // what an answer must never show: stack traces, driver and framework internals, SQL
  static final List<String> LEAKS =
      List.of(
          "exception",
          "\tat ",
          "at io.",
          "at java.",
          "caused by",
          "org.postgresql",
          "io.vertx",
          "com.fasterxml",
          "jackson",
          "sqlstate",
          "select ",
          "insert into",
          "drop table",
          "delete from");

  // bodies go out byte for byte: no charset appended; a form (which REST Assured takes only as
  // text) is passed as ISO-8859-1 text, one char per byte
  static final RestAssuredConfig AS_IS =
      RestAssuredConfig.config()
          .encoderConfig(
              EncoderConfig.encoderConfig()
                  .appendDefaultContentCharsetToContentTypeIfUndefined(false)
                  .defaultCharsetForContentType(ISO_8859_1.name(), FORM));

  /** What a hostile case attacks. */
  enum Kind {
    OVERSIZED,
    NESTING,
    MALFORMED,
    WRONG_TYPE,
    UNICODE,
    INJECTION,
    HUGE_NUMBER,
    LIMIT,
    IDEMPOTENCY_KEY,
    CONTENT_TYPE,
    PATH
  }

  /**
   * One request. {@code path} and {@code body} may name the fixture project and workflow as {@code
   * {p}} and {@code {w}}; a raw body is sent byte for byte (each char one ISO-8859-1 byte), any
   * other as UTF-8.
   */
  record Request(
      String name,
      String method,
      String path,
      String contentType,
      String body,
      boolean raw,
      boolean chunked,
      List<Map.Entry<String, String>> headers) {

    static Request post(String name, String path, String contentType, String body) {
      return new Request(name, "POST", path, contentType, body, false, false, List.of());
    }

    Request header(String header, String value) {
      List<Map.Entry<String, String>> more = new ArrayList<>(headers);
      more.add(Map.entry(header, value));
      return new Request(name, method, path, contentType, body, raw, chunked, more);
    }

    Request at(String otherPath) {
      return new Request(name, method, otherPath, contentType, body, raw, chunked, headers);
    }

    Request type(String otherType) {
      return new Request(name, method, path, otherType, body, raw, chunked, headers);
    }

    Request asRawBytes() {
      return new Request(name, method, path, contentType, body, true, chunked, headers);
    }

    Request inChunks() {
      return new Request(name, method, path, contentType, body, raw, true, headers);
    }

    boolean dolphin() {
      return path.startsWith("/dolphinscheduler");
    }

    /** Refused with this status and code (a DolphinScheduler {@code Result.code} there). */
    Case is(int status, Object code) {
      return new Case(null, this, status, code, 0);
    }

    /** A batch the endpoint takes (200) whose one item is refused with this status and code. */
    Case itemIs(int itemStatus, String code) {
      return new Case(null, this, 200, code, itemStatus);
    }
  }

  /** One hostile request and the refusal it must get. */
  record Case(Kind kind, Request request, int status, Object code, int itemStatus) {
    @Override
    public String toString() {
      return "[" + kind + "] " + request.name();
    }
  }

  static Stream<Case> group(Kind kind, Case... cases) {
    return Arrays.stream(cases)
        .map(c -> new Case(kind, c.request(), c.status(), c.code(), c.itemStatus()));
  }

  static Request start(String name, String json) {
    return Request.post("start: " + name, START, JSON, json);
  }

  static Request key(String name, String key) {
    return start("Idempotency-Key " + name, "{}").header("Idempotency-Key", key);
  }

  static Request batch(String name, String json) {
    return Request.post("batch: " + name, BATCH, JSON, json);
  }

  static Request item(String name, String itemJson) {
    return Request.post("batch item: " + name, BATCH, JSON, "{\"items\":[" + itemJson + "]}");
  }

  static Request definition(String name, String json) {
    return Request.post("workflow: " + name, WORKFLOWS, JSON, json);
  }

  /**
   * A DolphinScheduler start of the fixture workflow with these extra form fields, and DS's
   * required scheduleTime, failureStrategy and warningType where the fields do not give them.
   */
  static Request ds(String name, String... fields) {
    List<String> all = new ArrayList<>(List.of("processDefinitionCode", "{w}"));
    all.addAll(List.of(fields));
    for (String[] required :
        new String[][] {
          {"scheduleTime", ""}, {"failureStrategy", "CONTINUE"}, {"warningType", "NONE"}
        }) {
      boolean given = false;
      for (int i = 0; i < fields.length; i += 2) {
        given |= fields[i].equals(required[0]);
      }
      if (!given) {
        all.addAll(List.of(required));
      }
    }
    return dsForm(name, form(all.toArray(new String[0])));
  }

  /** These fields and DS's other required ones. */
  static String dsRequired(String... fields) {
    List<String> all = new ArrayList<>(List.of(fields));
    all.addAll(List.of("scheduleTime", "", "failureStrategy", "END", "warningType", "NONE"));
    return form(all.toArray(new String[0]));
  }

  static Request dsForm(String name, String form) {
    return Request.post("dolphin: " + name, DOLPHIN, FORM, form);
  }

  static Request list(String query) {
    return new Request(
        "list: " + query, "GET", LIST + "?" + query, null, null, false, false, List.of());
  }

  /** A URL-encoded form; the placeholder {w} survives encoding. */
  static String form(String... pairs) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < pairs.length; i += 2) {
      out.append(out.length() == 0 ? "" : "&")
          .append(URLEncoder.encode(pairs[i], UTF_8))
          .append('=')
          .append(URLEncoder.encode(pairs[i + 1], UTF_8).replace("%7Bw%7D", "{w}"));
    }
    return out.toString();
  }

  static String params(String inner) {
    return "{\"params\":{" + inner + "}}";
  }

  /** A workflow definition around the given task and edge JSON. */
  static String dag(String tasks, String edges) {
    return "{\"name\":\"hostile\",\"tasks\":[" + tasks + "],\"edges\":[" + edges + "]}";
  }

  /** A one-task workflow definition with these other top-level fields (name included). */
  static String wf(String fields) {
    return "{" + fields + ",\"tasks\":[" + noop("a") + "]}";
  }

  static String noop(String code) {
    return "{\"code\":\"" + code + "\",\"type\":\"NOOP\"}";
  }

  /** A NOOP task "a" with these extra fields, or a task of another type with its params. */
  static String task(String fields) {
    return "{\"code\":\"a\",\"type\":\"NOOP\"," + fields + "}";
  }

  static String waitTask(String seconds) {
    return "{\"code\":\"a\",\"type\":\"WAIT\",\"params\":{\"seconds\":" + seconds + "}}";
  }

  static String http(String extraParams) {
    return "{\"code\":\"h\",\"type\":\"HTTP\",\"params\":{\"method\":\"POST\","
        + "\"url\":\"http://example.org\""
        + extraParams
        + "}}";
  }

  static String repeat(int n, IntFunction<String> element) {
    return IntStream.range(0, n).mapToObj(element).collect(Collectors.joining(","));
  }

  /** UTF-8 bytes of the text as ISO-8859-1 chars: sent on the wire exactly as those bytes. */
  static String utf8Bytes(String text) {
    return new String(text.getBytes(UTF_8), ISO_8859_1);
  }

  static Stream<Case> hostileCases() {
    return Stream.of(
            startCases(), keyCases(), batchCases(), definitionCases(), dolphinCases(), listCases())
        .flatMap(s -> s);
  }

  static Stream<Case> startCases() {
    String big = params("\"a\":\"" + "x".repeat(70_000) + "\"");
    String deepObjects = "{\"a\":".repeat(10_000);
    return Stream.of(
            group(
                Kind.OVERSIZED,
                start("body over max-body", big).is(413, TOO_LARGE),
                start("chunked body over max-body", big).inChunks().is(413, TOO_LARGE),
                start("101 params", params(repeat(101, i -> "\"k" + i + "\":\"v\"")))
                    .is(400, INVALID),
                start("param value of 4097 chars", params("\"a\":\"" + X4097 + "\""))
                    .is(400, INVALID),
                start("param key of 4097 chars", params("\"" + X4097 + "\":\"a\""))
                    .is(400, INVALID),
                start("workerGroup of 129", "{\"workerGroup\":\"" + "g".repeat(129) + "\"}")
                    .is(400, INVALID)),
            group(
                Kind.NESTING,
                start("10,000 [ as the body", "[".repeat(10_000)).is(400, BAD),
                start("10,000 [ as params", "{\"params\":" + "[".repeat(10_000) + "}")
                    .is(400, INVALID),
                start("10,000 objects in a param value", params("\"a\":" + deepObjects))
                    .is(400, INVALID),
                start("10,000 objects in an unknown field", "{\"x\":" + deepObjects).is(400, BAD)),
            group(
                Kind.MALFORMED,
                start("not JSON", "{").is(400, BAD),
                start("trailing garbage", "{} x").is(400, BAD),
                start("two documents", "{}{}").is(400, BAD),
                start("duplicate key", "{\"priority\":\"HIGH\",\"priority\":\"LOW\"}").is(400, BAD),
                start("duplicate param key", params("\"a\":\"1\",\"a\":\"2\"")).is(400, BAD),
                start("single quotes", "{'priority':'HIGH'}").is(400, BAD),
                start("comment", "{/* hi */}").is(400, BAD),
                start("NaN", params("\"a\":NaN")).is(400, BAD)),
            group(
                Kind.WRONG_TYPE,
                start("body an array", "[]").is(400, BAD),
                start("body a string", "\"start\"").is(400, BAD),
                start("unknown field", "{\"prioirty\":\"HIGH\"}").is(400, INVALID),
                start("unknown priority", "{\"priority\":\"URGENT\"}").is(400, INVALID),
                start("lower-case priority", "{\"priority\":\"high\"}").is(400, INVALID),
                start("numeric priority", "{\"priority\":1}").is(400, INVALID),
                start("unknown failure strategy", "{\"failureStrategy\":\"RETRY\"}")
                    .is(400, INVALID),
                start("params an array", "{\"params\":[1,2]}").is(400, INVALID),
                start("params a string", "{\"params\":\"a=1\"}").is(400, INVALID),
                start("param value a number", params("\"a\":1")).is(400, INVALID),
                start("param value a boolean", params("\"a\":true")).is(400, INVALID),
                start("param value null", params("\"a\":null")).is(400, INVALID),
                start("scheduleTime not a time", "{\"scheduleTime\":\"tomorrow\"}")
                    .is(400, INVALID),
                start("dryRun a string", "{\"dryRun\":\"yes\"}").is(400, INVALID),
                start("dryRun a number", "{\"dryRun\":1}").is(400, INVALID),
                start("workerGroup a number", "{\"workerGroup\":7}").is(400, INVALID),
                start("workerGroup an array", "{\"workerGroup\":[\"a\"]}").is(400, INVALID)),
            group(
                Kind.UNICODE,
                start("NUL in a param value", params("\"a\":\"x\\u0000y\"")).is(400, INVALID),
                start("NUL in a param key", params("\"a\\u0000\":\"x\"")).is(400, INVALID),
                start("lone high surrogate in a value", params("\"a\":\"x\\ud800\""))
                    .is(400, INVALID),
                start("lone low surrogate in a key", params("\"\\udc00\":\"x\"")).is(400, BAD),
                start("surrogates in the wrong order", params("\"a\":\"\\udc00\\ud800\""))
                    .is(400, INVALID),
                start("RTL override in workerGroup", "{\"workerGroup\":\"abc\\u202edef\"}")
                    .is(400, INVALID),
                start("NUL in workerGroup", "{\"workerGroup\":\"a\\u0000\"}").is(400, INVALID),
                start("overlong UTF-8", params("\"a\":\"\u00c0\u00af\"")).asRawBytes().is(400, BAD),
                start("byte 0xFF", params("\"a\":\"\u00ff\"")).asRawBytes().is(400, BAD),
                start("UTF-8 encoded surrogate", params("\"a\":\"\u00ed\u00a0\u0080\""))
                    .asRawBytes()
                    .is(400, BAD),
                start("truncated UTF-8", params("\"a\":\"\u00e2\u0082\""))
                    .asRawBytes()
                    .is(400, BAD),
                start("byte order mark inside", "{" + utf8Bytes("\ufeff") + "\"params\":{}}")
                    .asRawBytes()
                    .is(400, BAD)),
            group(
                Kind.HUGE_NUMBER,
                start("priority 2^64", "{\"priority\":" + TWO_POW_64 + "}").is(400, INVALID),
                start("dryRun 1e400", "{\"dryRun\":" + HUGE_FLOAT + "}").is(400, INVALID),
                start("scheduleTime 1e400", "{\"scheduleTime\":" + HUGE_FLOAT + "}")
                    .is(400, INVALID),
                start("scheduleTime 2^64", "{\"scheduleTime\":" + TWO_POW_64 + "}")
                    .is(400, INVALID),
                start("year 999999999", "{\"scheduleTime\":\"+999999999-12-31T23:59:59Z\"}")
                    .is(400, INVALID),
                start("year 300000", "{\"scheduleTime\":\"+300000-01-01T00:00:00Z\"}")
                    .is(400, INVALID),
                start("year -4713", "{\"scheduleTime\":\"-4713-01-01T00:00:00Z\"}")
                    .is(400, INVALID)),
            group(
                Kind.CONTENT_TYPE,
                start("text/plain", "{}").type("text/plain").is(415, MEDIA),
                start("application/xml", "<start/>").type("application/xml").is(415, MEDIA),
                start("a form", "priority=HIGH").type(FORM).is(415, MEDIA)),
            group(
                Kind.PATH,
                start("workflow code abc", "{}")
                    .at("/api/v1/projects/{p}/workflows/abc/instances")
                    .is(404, NOT_FOUND),
                start("workflow code 2^64", "{}")
                    .at("/api/v1/projects/{p}/workflows/" + TWO_POW_64 + "/instances")
                    .is(404, NOT_FOUND),
                start("workflow code 1e400", "{}")
                    .at("/api/v1/projects/{p}/workflows/" + HUGE_FLOAT + "/instances")
                    .is(404, NOT_FOUND),
                start("workflow code -1", "{}")
                    .at("/api/v1/projects/{p}/workflows/-1/instances")
                    .is(404, "WORKFLOW_NOT_FOUND"),
                start("project code abc", "{}")
                    .at("/api/v1/projects/abc/workflows/{w}/instances")
                    .is(404, NOT_FOUND)),
            group(
                Kind.INJECTION,
                start("SQL in the project segment", "{}")
                    .at("/api/v1/projects/1%20OR%201%3D1/workflows/{w}/instances")
                    .is(404, NOT_FOUND),
                start("SQL after a ; in the workflow segment", "{}")
                    .at("/api/v1/projects/{p}/workflows/{w};DROP%20TABLE%20workflow/instances")
                    .is(404, NOT_FOUND),
                start("quote in the workflow segment", "{}")
                    .at("/api/v1/projects/{p}/workflows/{w}'--/instances")
                    .is(404, NOT_FOUND)))
        .flatMap(s -> s);
  }

  static Stream<Case> keyCases() {
    return Stream.concat(
        group(
            Kind.IDEMPOTENCY_KEY,
            key("empty", "").is(400, INVALID),
            key("of 129 chars", "k".repeat(129)).is(400, INVALID),
            key("with spaces", "a b").is(400, INVALID),
            key("with a slash", "a/b").is(400, INVALID),
            key("with a tab", "a\tb").is(400, INVALID),
            key("with a control char", "a\u0001b").is(400, INVALID),
            key("as UTF-8 bytes", utf8Bytes("ключ")).is(400, INVALID),
            key("after a byte order mark", utf8Bytes("\ufeffkey")).is(400, INVALID),
            key("with an RTL override", utf8Bytes("key\u202e1")).is(400, INVALID),
            key("given twice", "key-one").header("Idempotency-Key", "key-two").is(400, INVALID)),
        group(
            Kind.INJECTION,
            key("SQL", "a'; DROP TABLE workflow_instance; --").is(400, INVALID),
            key("quote", "a'--").is(400, INVALID),
            key("JSON", "{\"a\":1}").is(400, INVALID)));
  }

  static Stream<Case> batchCases() {
    String tooMany = "{\"items\":[" + repeat(1001, i -> "{\"workflowCode\":{w}}") + "]}";
    String big =
        "{\"items\":[{\"workflowCode\":{w},"
            + params("\"a\":\"" + "x".repeat(70_000) + "\"").substring(1)
            + "]}";
    return Stream.of(
            group(
                Kind.OVERSIZED,
                batch("1001 items", tooMany).is(400, INVALID),
                batch("body over max-body", big).is(413, TOO_LARGE)),
            group(
                Kind.NESTING,
                batch("10,000 [ as items", "{\"items\":" + "[".repeat(10_000) + "}")
                    .is(400, INVALID)),
            group(
                Kind.WRONG_TYPE,
                batch("no items", "{}").is(400, INVALID),
                batch("items an object", "{\"items\":{}}").is(400, INVALID),
                batch("a null item", "{\"items\":[null]}").is(400, INVALID),
                batch("workflowCode a string", "{\"items\":[{\"workflowCode\":\"{w}\"}]}")
                    .is(400, INVALID)),
            group(
                Kind.HUGE_NUMBER,
                batch("workflowCode 2^64", "{\"items\":[{\"workflowCode\":" + TWO_POW_64 + "}]}")
                    .is(400, INVALID),
                batch("workflowCode 1e400", "{\"items\":[{\"workflowCode\":" + HUGE_FLOAT + "}]}")
                    .is(400, INVALID)),
            group(
                Kind.LIMIT,
                item("workflowCode -1", "{\"workflowCode\":-1}").itemIs(404, "WORKFLOW_NOT_FOUND"),
                item("workflowCode 0", "{\"workflowCode\":0}").itemIs(404, "WORKFLOW_NOT_FOUND")),
            group(
                Kind.INJECTION,
                item(
                        "SQL in idempotencyKey",
                        "{\"workflowCode\":{w},\"idempotencyKey\":\"1' OR 1\"}")
                    .itemIs(400, INVALID)),
            group(
                Kind.IDEMPOTENCY_KEY,
                item("empty idempotencyKey", "{\"workflowCode\":{w},\"idempotencyKey\":\"\"}")
                    .itemIs(400, INVALID),
                item(
                        "idempotencyKey of 129 chars",
                        "{\"workflowCode\":{w},\"idempotencyKey\":\"" + "k".repeat(129) + "\"}")
                    .itemIs(400, INVALID)),
            group(
                Kind.UNICODE,
                item(
                        "lone surrogate in a param",
                        "{\"workflowCode\":{w},\"params\":{\"a\":\"\\ud800\"}}")
                    .itemIs(400, INVALID)),
            group(
                Kind.PATH,
                batch("project code abc", "{\"items\":[{\"workflowCode\":{w}}]}")
                    .at("/api/v1/projects/abc/instances:batch")
                    .is(404, NOT_FOUND)))
        .flatMap(s -> s);
  }

  static Stream<Case> definitionCases() {
    String tooManyTasks = dag(repeat(501, i -> noop("t" + i)), "");
    String tooManyEdges =
        dag(noop("a") + "," + noop("b"), repeat(2001, i -> "{\"from\":\"a\",\"to\":\"b\"}"));
    String globals101 = repeat(101, i -> "\"k" + i + "\":\"v\"");
    String withA = ",\"tasks\":[" + noop("a") + "]";
    return Stream.of(
            group(
                Kind.OVERSIZED,
                definition("501 tasks", tooManyTasks).is(422, DAG),
                definition("2001 edges", tooManyEdges).is(422, DAG),
                definition("name of 201 chars", wf("\"name\":\"" + "n".repeat(201) + "\""))
                    .is(400, INVALID),
                definition(
                        "description of 2001",
                        wf("\"name\":\"d\",\"description\":\"" + "d".repeat(2001) + "\""))
                    .is(400, INVALID),
                definition("task code of 65 chars", dag(noop("c".repeat(65)), "")).is(422, DAG),
                definition(
                        "task name of 201", dag(task("\"name\":\"" + "n".repeat(201) + "\""), ""))
                    .is(422, DAG),
                definition(
                        "101 global params",
                        wf("\"name\":\"g\",\"globalParams\":{" + globals101 + "}"))
                    .is(400, INVALID),
                definition(
                        "global param of 4097",
                        wf("\"name\":\"g\",\"globalParams\":{\"k\":\"" + X4097 + "\"}"))
                    .is(400, INVALID),
                definition(
                        "HTTP body of 16385",
                        dag(http(",\"body\":\"" + "b".repeat(16_385) + "\""), ""))
                    .is(422, DAG),
                definition(
                        "body over max-body",
                        dag(http(",\"body\":\"" + "b".repeat(70_000) + "\""), ""))
                    .is(413, TOO_LARGE)),
            group(
                Kind.NESTING,
                definition("10,000 [ as the body", "[".repeat(10_000)).is(400, BAD),
                definition(
                        "10,000 [ in a task param",
                        dag(http(",\"body\":" + "[".repeat(10_000)), ""))
                    .is(400, BAD),
                definition(
                        "100 objects in a task param",
                        dag(http(",\"body\":" + "{\"a\":".repeat(100) + "1" + "}".repeat(100)), ""))
                    .is(400, BAD)),
            group(
                Kind.MALFORMED,
                definition("duplicate key in a task", dag(task("\"code\":\"b\""), ""))
                    .is(400, BAD)),
            group(
                Kind.WRONG_TYPE,
                definition("tasks an object", "{\"name\":\"o\",\"tasks\":{}}").is(400, INVALID),
                definition("a null task", dag("null", "")).is(422, DAG),
                definition("name a number", "{\"name\":7" + withA + "}").is(400, INVALID),
                definition("a null edge", dag(noop("a"), "null")).is(422, DAG)),
            group(
                Kind.UNICODE,
                definition("NUL in the name", wf("\"name\":\"a\\u0000b\"")).is(400, INVALID),
                definition(
                        "NUL in the description", wf("\"name\":\"d\",\"description\":\"\\u0000\""))
                    .is(400, INVALID),
                definition("RTL override in the name", wf("\"name\":\"abc\\u202etxt.exe\""))
                    .is(400, INVALID),
                definition("lone surrogate in the name", wf("\"name\":\"a\\ud800\""))
                    .is(400, INVALID),
                definition("NUL in a task name", dag(task("\"name\":\"x\\u0000\""), ""))
                    .is(422, DAG),
                definition("non-ASCII task code", dag(noop("t\u00e2che"), "")).is(422, DAG),
                definition("NUL in an HTTP body", dag(http(",\"body\":\"a\\u0000\""), ""))
                    .is(422, DAG),
                definition("lone surrogate in an HTTP body", dag(http(",\"body\":\"\\udfff\""), ""))
                    .is(422, DAG),
                definition(
                        "NUL in a global param",
                        wf("\"name\":\"g\",\"globalParams\":{\"k\":\"\\u0000\"}"))
                    .is(400, INVALID)),
            group(
                Kind.INJECTION,
                definition("SQL as a task code", dag(noop("a'; DROP TABLE workflow; --"), ""))
                    .is(422, DAG),
                definition(
                        "SQL as an edge end",
                        dag(noop("a"), "{\"from\":\"a\",\"to\":\"x'); DELETE FROM w\"}"))
                    .is(422, DAG),
                definition(
                        "SQL as a task type",
                        dag("{\"code\":\"a\",\"type\":\"NOOP'; SELECT 1; --\"}", ""))
                    .is(422, DAG)),
            group(
                Kind.HUGE_NUMBER,
                definition("retries 2^64", dag(task("\"retries\":" + TWO_POW_64), ""))
                    .is(400, INVALID),
                definition(
                        "timeoutSeconds 1e400", dag(task("\"timeoutSeconds\":" + HUGE_FLOAT), ""))
                    .is(400, INVALID),
                definition("WAIT seconds 2^64", dag(waitTask(TWO_POW_64), "")).is(422, DAG),
                definition(
                        "HTTP expectStatus 1e400", dag(http(",\"expectStatus\":" + HUGE_FLOAT), ""))
                    .is(422, DAG)),
            group(
                Kind.LIMIT,
                definition("timeoutSeconds 0", dag(task("\"timeoutSeconds\":0"), "")).is(422, DAG),
                definition("timeoutSeconds -5", dag(task("\"timeoutSeconds\":-5"), ""))
                    .is(422, DAG),
                definition("retryDelaySeconds -1", dag(task("\"retryDelaySeconds\":-1"), ""))
                    .is(422, DAG),
                definition("WAIT seconds -1", dag(waitTask("-1"), "")).is(422, DAG)),
            group(
                Kind.CONTENT_TYPE,
                definition("text/plain", dag(noop("a"), "")).type("text/plain").is(415, MEDIA)),
            group(
                Kind.PATH,
                definition("project code abc", dag(noop("a"), ""))
                    .at("/api/v1/projects/abc/workflows")
                    .is(404, NOT_FOUND),
                definition("project code 2^64", dag(noop("a"), ""))
                    .at("/api/v1/projects/" + TWO_POW_64 + "/workflows")
                    .is(404, NOT_FOUND),
                definition("project code -1", dag(noop("a"), ""))
                    .at("/api/v1/projects/-1/workflows")
                    .is(404, "PROJECT_NOT_FOUND")))
        .flatMap(s -> s);
  }

  static Stream<Case> dolphinCases() {
    String params101 = "{" + repeat(101, i -> "\"k" + i + "\":\"v\"") + "}";
    String dsPath = "/dolphinscheduler/projects/%s/executors/start-process-instance";
    return Stream.of(
            group(
                Kind.OVERSIZED,
                ds("body over max-body", "startParams", "x".repeat(70_000)).is(413, DS),
                ds("101 start params", "startParams", params101).is(200, DS),
                ds("start param of 4097 chars", "startParams", "{\"a\":\"" + X4097 + "\"}")
                    .is(200, DS),
                ds("workerGroup of 129 chars", "workerGroup", "g".repeat(129)).is(200, DS)),
            group(
                Kind.NESTING,
                ds("10,000 [ as startParams", "startParams", "[".repeat(10_000)).is(200, DS),
                ds(
                        "2,000 objects as a complement's scheduleTime",
                        "execType",
                        "COMPLEMENT_DATA",
                        "scheduleTime",
                        "{\"a\":".repeat(2_000))
                    .is(200, DS_BIND)),
            group(
                Kind.MALFORMED,
                ds("duplicate startParams key", "startParams", "{\"a\":\"1\",\"a\":\"2\"}")
                    .is(200, DS),
                ds("startParams with trailing garbage", "startParams", "{\"a\":\"1\"} x")
                    .is(200, DS),
                ds("unterminated startParams", "startParams", "{\"a\":\"1\"").is(200, DS),
                dsForm("invalid percent escape", "processDefinitionCode={w}%ZZ").is(200, DS_BIND),
                dsForm("percent at the end", "processDefinitionCode={w}%").is(200, DS_BIND),
                dsForm(
                        "invalid escape after 30 KB of form",
                        "padding=" + "p".repeat(30_000) + "&processDefinitionCode=%G1")
                    .is(200, DS_BIND),
                ds("workerGroup twice", "workerGroup", "a", "workerGroup", "b").is(200, DS),
                ds("processDefinitionCode twice", "processDefinitionCode", "1").is(200, DS)),
            group(
                Kind.WRONG_TYPE,
                ds("startParams value an object", "startParams", "{\"a\":{\"b\":\"c\"}}")
                    .is(200, DS),
                ds("startParams value null", "startParams", "{\"a\":null}").is(200, DS),
                ds("testFlag not 0 or 1", "testFlag", "true").is(200, DS_BIND)),
            group(
                Kind.UNICODE,
                ds("NUL in a start param", "startParams", "{\"a\":\"\\u0000\"}").is(200, DS),
                ds("lone surrogate in a start param", "startParams", "{\"a\":\"\\ud800\"}")
                    .is(200, DS),
                ds("RTL override in workerGroup", "workerGroup", "abc\u202edef").is(200, DS),
                ds("NUL in workerGroup", "workerGroup", "a\u0000b").is(200, DS),
                dsForm("byte 0xFF in the definition code", "processDefinitionCode={w}\u00ff")
                    .asRawBytes()
                    .is(200, DS_BIND),
                dsForm(
                        "percent-encoded overlong UTF-8",
                        "processDefinitionCode={w}&workerGroup=%C0%AF")
                    .is(200, DS_BIND),
                dsForm(
                        "percent-encoded surrogate",
                        "processDefinitionCode={w}&workerGroup=%ED%A0%80")
                    .is(200, DS_BIND),
                dsForm(
                        "byte order mark before the form",
                        utf8Bytes("\ufeff") + "processDefinitionCode={w}")
                    .asRawBytes()
                    .is(200, DS_BIND)),
            group(
                Kind.HUGE_NUMBER,
                dsForm("processDefinitionCode 2^64", form("processDefinitionCode", TWO_POW_64))
                    .is(200, DS_BIND),
                dsForm("processDefinitionCode 1e400", form("processDefinitionCode", HUGE_FLOAT))
                    .is(200, DS_BIND),
                ds("version 2^64", "version", TWO_POW_64).is(200, DS_BIND),
                ds("timeout 1e400", "timeout", HUGE_FLOAT).is(200, DS_BIND),
                ds(
                        "year 999999999 in a complement",
                        "execType",
                        "COMPLEMENT_DATA",
                        "scheduleTime",
                        "{\"complementScheduleDateList\":\"+999999999-12-31 23:59:59\"}")
                    .is(200, DS_BIND)),
            group(
                Kind.LIMIT,
                dsForm("processDefinitionCode -1", dsRequired("processDefinitionCode", "-1"))
                    .is(200, DS_BIND),
                dsForm("processDefinitionCode 0", dsRequired("processDefinitionCode", "0"))
                    .is(200, DS_BIND),
                ds("timeout -5", "timeout", "-5").is(200, 10002),
                ds("expectedParallelismNumber -1", "expectedParallelismNumber", "-1")
                    .is(200, 50080),
                ds("version 0", "version", "0").is(200, DS_BIND),
                ds("dryRun -1", "dryRun", "-1").is(200, DS)),
            group(
                Kind.INJECTION,
                dsForm("SQL as the definition code", form("processDefinitionCode", "1 OR 1=1"))
                    .is(200, DS_BIND),
                dsForm("SQL after the code", form("processDefinitionCode", "{w}; DROP TABLE x"))
                    .is(200, DS_BIND),
                ds("SQL as warningGroupId", "warningGroupId", "1' OR '1'='1").is(200, DS_BIND),
                ds("SQL as the Idempotency-Key").header("Idempotency-Key", "x' OR 1=1").is(200, DS),
                ds("SQL in the project segment")
                    .at(dsPath.formatted("1%20OR%201=1"))
                    .is(200, DS_BIND)),
            group(
                Kind.PATH,
                ds("project code 2^64").at(dsPath.formatted(TWO_POW_64)).is(200, DS_BIND)),
            // Spring binds only the query string from a body that is not a form: the required
            // parameters are missing
            group(
                Kind.CONTENT_TYPE,
                dsForm("JSON instead of a form", "{\"processDefinitionCode\":{w}}")
                    .type(JSON)
                    .is(200, DS_BIND),
                ds("text/plain").type("text/plain").is(200, DS_BIND)))
        .flatMap(s -> s);
  }

  static Stream<Case> listCases() {
    return Stream.of(
            group(
                Kind.LIMIT,
                list("limit=0").is(400, INVALID),
                list("limit=-1").is(400, INVALID),
                list("limit=1001").is(400, INVALID),
                list("after=-1").is(400, INVALID)),
            group(
                Kind.HUGE_NUMBER,
                list("limit=" + TWO_POW_64).is(400, INVALID),
                list("after=" + TWO_POW_64).is(400, INVALID)),
            group(
                Kind.WRONG_TYPE,
                list("limit=abc").is(400, INVALID),
                list("workflow=abc").is(400, INVALID)),
            group(Kind.INJECTION, list("state=SUCCESS%27%20OR%20%271%27%3D%271").is(400, INVALID)))
        .flatMap(s -> s);
  }

  @Inject Db db;

  static final FixtureWorkflow fixture = new FixtureWorkflow();

  // made before a test counts rows: the fixture's own rows are not the request's
  @BeforeEach
  void makeFixture() {
    fixture.project();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("hostileCases")
  void hostileInputIsRefusedWithItsCodeAndWritesNothing(Case c) {
    long instances = db.count("select count(*) from workflow_instance");
    long workflows = db.count("select count(*) from workflow");

    Response response = send(c.request());

    String body = response.asString();
    assertThat(response.statusCode()).as("%s: status of %s", c, body).isEqualTo(c.status());
    assertThat(body.toLowerCase(Locale.ROOT)).as("%s: no internals", c).doesNotContain(LEAKS);
    assertThat(body.length()).as("%s: no echo of the input", c).isLessThan(2048);
    JsonPath json = new JsonPath(body);
    if (c.itemStatus() > 0) {
      assertThat(json.getInt("results[0].status")).as("%s: %s", c, body).isEqualTo(c.itemStatus());
      assertThat(json.getString("results[0].code")).as("%s: %s", c, body).isEqualTo(c.code());
    } else if (c.request().dolphin()) {
      assertThat(json.getInt("code")).as("%s: Result.code of %s", c, body).isEqualTo(c.code());
      assertThat(json.getBoolean("success")).isFalse();
      assertThat(json.getString("traceId")).isNotBlank();
    } else {
      assertThat(response.contentType()).as("%s", c).startsWith("application/problem+json");
      assertThat(json.getString("code")).as("%s: code of %s", c, body).isEqualTo(c.code());
      assertThat(json.getString("detail")).isNotBlank();
      assertThat(json.getString("traceId")).isNotBlank();
    }
    assertThat(db.count("select count(*) from workflow_instance"))
        .as("%s: instances written", c)
        .isEqualTo(instances);
    assertThat(db.count("select count(*) from workflow"))
        .as("%s: workflows written", c)
        .isEqualTo(workflows);
  }

  /**
   * A request whose odd-looking text is plain data: accepted with {@code status} and stored exactly
   * as sent. {@code sql} counts the stored row by that text; its first argument is the project.
   */
  record Kept(Request request, int status, String table, String sql, List<Object> args) {
    @Override
    public String toString() {
      return request.name();
    }
  }

  static final String SQL_TEXT = "'); DROP TABLE workflow_instance; --";
  static final String OR_TEXT = "1' OR '1'='1";

  static Stream<Kept> keptCases() {
    String instance = "workflow_instance";
    String where = "select count(*) from workflow_instance where project_code = $1 and ";
    String unknown300 =
        IntStream.range(0, 300).mapToObj(i -> "f" + i + "=1").collect(Collectors.joining("&"));
    return Stream.of(
        new Kept(
            start(
                "SQL in a param key and value", params("\"" + SQL_TEXT + "\":\"" + OR_TEXT + "\"")),
            201,
            instance,
            where + "params ->> $2 = $3",
            List.of(SQL_TEXT, OR_TEXT)),
        new Kept(
            start(
                "JSON in a param value changes no field",
                params("\"a\":\"\\\"},\\\"priority\\\":\\\"HIGHEST\"")),
            201,
            instance,
            where + "params ->> 'a' = $2 and priority = 'MEDIUM'",
            List.of("\"},\"priority\":\"HIGHEST")),
        new Kept(
            start("SQL in workerGroup", "{\"workerGroup\":\"" + OR_TEXT + "\"}"),
            201,
            instance,
            where + "worker_group = $2",
            List.of(OR_TEXT)),
        new Kept(
            start(
                "emoji and RTL override are data in a value",
                params("\"a\":\"\\ud83d\\ude80 \\u202eabc\"")),
            201,
            instance,
            where + "params ->> 'a' = $2",
            List.of("\ud83d\ude80 \u202eabc")),
        new Kept(
            start(
                    "a leading byte order mark is ignored (RFC 8259)",
                    utf8Bytes("\ufeff") + params("\"bom\":\"1\""))
                .asRawBytes(),
            201,
            instance,
            where + "params ->> 'bom' = $2",
            List.of("1")),
        new Kept(
            ds("SQL in startParams", "startParams", "{\"ds" + SQL_TEXT + "\":\"" + OR_TEXT + "\"}"),
            200,
            instance,
            where + "params ->> $2 = $3",
            List.of("ds" + SQL_TEXT, OR_TEXT)),
        new Kept(
            ds(
                "a huge number in startParams is kept as written",
                "startParams",
                "{\"n\":1e400,\"m\":" + TWO_POW_64 + "}"),
            200,
            instance,
            where + "params ->> 'n' = $2 and params ->> 'm' = $3",
            List.of(HUGE_FLOAT, TWO_POW_64)),
        new Kept(
            dsForm(
                "300 unknown form fields are ignored",
                form(
                        "processDefinitionCode",
                        "{w}",
                        "workerGroup",
                        "u300",
                        "scheduleTime",
                        "",
                        "failureStrategy",
                        "END",
                        "warningType",
                        "NONE")
                    + "&"
                    + unknown300),
            200,
            instance,
            where + "worker_group = $2",
            List.of("u300")),
        new Kept(
            definition("SQL in the name", wf("\"name\":\"x" + SQL_TEXT + "\"")),
            201,
            "workflow",
            "select count(*) from workflow where project_code = $1 and name = $2",
            List.of("x" + SQL_TEXT)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("keptCases")
  void injectionLookingTextIsDataStoredAsSent(Kept k) {
    long rows = db.count("select count(*) from " + k.table());
    List<Object> args = new ArrayList<>();
    args.add(fixture.project());
    args.addAll(k.args());
    assertThat(db.count(k.sql(), args.toArray())).isZero();

    Response response = send(k.request());

    assertThat(response.statusCode()).as("%s", response.asString()).isEqualTo(k.status());
    if (k.request().dolphin()) {
      assertThat(response.jsonPath().getInt("code")).isZero();
    }
    assertThat(db.count(k.sql(), args.toArray())).isOne();
    assertThat(db.count("select count(*) from " + k.table())).isEqualTo(rows + 1);
  }

  static final String TRACE = "0af7651916cd43dd8448eb211c80319c";
  static final String SPAN = "b7ad6b7169203331";

  /** A traceparent that W3C Trace Context says to ignore. */
  record Traceparent(String name, String value) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Traceparent> malformedTraceparents() {
    return Stream.of(
        new Traceparent("version ff", "ff-" + TRACE + "-" + SPAN + "-01"),
        new Traceparent("all-zero trace id", "00-" + "0".repeat(32) + "-" + SPAN + "-01"),
        new Traceparent("all-zero span id", "00-" + TRACE + "-" + "0".repeat(16) + "-01"),
        new Traceparent("short span id", "00-" + TRACE + "-" + SPAN.substring(8) + "-01"),
        new Traceparent("non-hex trace id", "00-" + TRACE.substring(2) + "zz-" + SPAN + "-01"),
        new Traceparent("upper-case hex", ("00-" + TRACE + "-" + SPAN + "-01").toUpperCase()),
        new Traceparent("extra field in version 00", "00-" + TRACE + "-" + SPAN + "-01-extra"),
        new Traceparent("flags not hex", "00-" + TRACE + "-" + SPAN + "-zz"),
        new Traceparent("no dashes", "00" + TRACE + SPAN + "01"),
        new Traceparent("empty", ""),
        new Traceparent("SQL", "00-' OR 1=1; --"),
        new Traceparent("10 KB long", "00-" + TRACE + "-" + SPAN + "-01-" + "a".repeat(10_000)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformedTraceparents")
  void malformedTraceparentIsIgnoredAndAFreshTraceStarts(Traceparent t) {
    long before = db.instancesOf(fixture.project());

    Response response = Api.admin().header("traceparent", t.value()).body("{}").post(fill(START));

    response.then().statusCode(201);
    String traceparent = response.header("traceparent");
    assertThat(traceparent).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}");
    String traceId = traceparent.substring(3, 35);
    assertThat(traceId).isNotEqualTo("0".repeat(32)).isNotEqualTo(TRACE);
    assertThat(t.value().toLowerCase(Locale.ROOT)).doesNotContain(traceId);
    assertThat(response.jsonPath().getString("traceId")).isEqualTo(traceId);
    assertThat(db.instancesOf(fixture.project())).isEqualTo(before + 1);
    assertThat(
            db.count(
                "select count(*) from workflow_instance where id = $1 and trace_parent like $2",
                response.jsonPath().getLong("instanceId"),
                "00-" + traceId + "-%"))
        .isOne();
  }

  private Response send(Request r) {
    RequestSpecification request = given().config(AS_IS).urlEncodingEnabled(false);
    if (r.dolphin()) {
      request.header("token", Api.ADMIN);
    } else {
      request.header("Authorization", "Bearer " + Api.ADMIN);
    }
    r.headers().forEach(h -> request.header(h.getKey(), h.getValue()));
    if (r.contentType() != null) {
      request.contentType(r.contentType());
    }
    if (r.body() != null) {
      byte[] bytes = fill(r.body()).getBytes(r.raw() ? ISO_8859_1 : UTF_8);
      if (r.chunked()) {
        request.body(new ByteArrayInputStream(bytes));
      } else {
        body(request, r.contentType(), bytes);
      }
    }
    return request.request(r.method(), fill(r.path()));
  }

  /** Sets the body, byte for byte; REST Assured takes a form only as text. */
  static void body(RequestSpecification request, String contentType, byte[] bytes) {
    if (FORM.equals(contentType)) {
      request.body(new String(bytes, ISO_8859_1));
    } else {
      request.body(bytes);
    }
  }

  private static String fill(String template) {
    return fixture.fill(template);
  }
}
