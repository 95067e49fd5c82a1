package io.flowgate.api;

import static io.restassured.RestAssured.given;
import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.flowgate.support.Api;
import io.flowgate.support.Db;
import io.flowgate.support.EmbeddedPostgresResource;
import io.flowgate.support.FixtureWorkflow;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.config.EncoderConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A JSON body that is not well-formed UTF-8 is a 400 BAD_REQUEST naming the encoding, on every
 * endpoint that reads one, whatever charset the Content-Type names and wherever the bad bytes are,
 * and writes nothing; a body of well-formed multi-byte UTF-8 is read as sent.
 */
@QuarkusTest
@WithTestResource(EmbeddedPostgresResource.class)
class Utf8BodyTest {

  static final String NOT_UTF8 = "the body is not valid UTF-8";

  // bodies go out byte for byte, the Content-Type exactly as given
  static final RestAssuredConfig AS_IS =
      RestAssuredConfig.config()
          .encoderConfig(
              EncoderConfig.encoderConfig()
                  .appendDefaultContentCharsetToContentTypeIfUndefined(false));

  // every table a JSON write endpoint writes to
  static final List<String> TABLES =
      List.of(
          "workflow_instance",
          "workflow",
          "workflow_version",
          "project",
          "api_token",
          "audit_event");

  /** One request: method, path ({p} and {w} are the fixture's), Content-Type and body bytes. */
  record Bad(String name, String method, String path, String contentType, byte[] body) {
    @Override
    public String toString() {
      return name;
    }
  }

  /** Malformed byte sequences, each as ISO-8859-1 chars (one char per byte). */
  static final List<String[]> MALFORMED =
      List.of(
          new String[] {"overlong '/'", "\u00c0\u00af"},
          new String[] {"byte 0xFF", "\u00ff"},
          new String[] {"encoded surrogate", "\u00ed\u00a0\u0080"},
          new String[] {"truncated 3-byte form", "\u00e2\u0082"},
          new String[] {"stray continuation byte", "\u0080"},
          new String[] {"above U+10FFFF", "\u00f4\u0090\u0080\u0080"});

  static Stream<Bad> badBodies() {
    Stream.Builder<Bad> all = Stream.builder();
    for (String[] m : MALFORMED) {
      String bad = m[1];
      all.add(json("start, " + m[0], "POST", START, "{\"params\":{\"a\":\"" + bad + "\"}}"));
      all.add(
          json(
              "batch, " + m[0],
              "POST",
              BATCH,
              "{\"items\":[{\"workflowCode\":{w},\"params\":{\"a\":\"" + bad + "\"}}]}"));
      all.add(
          json(
              "workflow, " + m[0],
              "POST",
              "/api/v1/projects/{p}/workflows",
              "{\"name\":\"u" + bad + "\",\"tasks\":[{\"code\":\"a\",\"type\":\"NOOP\"}]}"));
      all.add(json("project, " + m[0], "POST", "/api/v1/projects", "{\"name\":\"u" + bad + "\"}"));
      all.add(
          json(
              "token, " + m[0],
              "POST",
              "/api/v1/tokens",
              "{\"name\":\"u" + bad + "\",\"projects\":[{p}],\"scopes\":[\"START\"]}"));
    }
    return Stream.concat(
        all.build(),
        Stream.of(
            json(
                "retention, byte 0xFF in a field name",
                "PUT",
                "/api/v1/projects/{p}/retention",
                "{\"retention\u00ffDays\":7}"),
            json("start, byte 0xFF in a field name", "POST", START, "{\"prio\u00ffrity\":\"LOW\"}"),
            json("start, byte 0xFF between tokens", "POST", START, "{} \u00ff"),
            json("start, byte 0xFF as the body", "POST", START, "\u00ff"),
            json(
                "start, byte 0xFF after a syntax error",
                "POST",
                START,
                "{\"params\":{,}} " + "x".repeat(20_000) + "\u00ff"),
            json(
                "start, byte 0xFF after 20 KB of valid JSON",
                "POST",
                START,
                "{\"params\":{\"a\":\"" + "x".repeat(20_000) + "\",\"b\":\"\u00ff\"}}"),
            typed(
                "start, charset=UTF-8 named",
                START,
                "application/json; charset=UTF-8",
                "{\"params\":{\"a\":\"\u00c0\u00af\"}}"),
            typed(
                "start, charset=ISO-8859-1 named",
                START,
                "application/json;charset=ISO-8859-1",
                "{\"params\":{\"a\":\"\u00ff\"}}")));
  }

  static final String START = "/api/v1/projects/{p}/workflows/{w}/instances";
  static final String BATCH = "/api/v1/projects/{p}/instances:batch";

  static Bad json(String name, String method, String path, String isoChars) {
    return new Bad(name, method, path, "application/json", isoChars.getBytes(ISO_8859_1));
  }

  static Bad typed(String name, String path, String contentType, String isoChars) {
    return new Bad(name, "POST", path, contentType, isoChars.getBytes(ISO_8859_1));
  }

  @Inject Db db;

  static final FixtureWorkflow fixture = new FixtureWorkflow();

  // made before a test counts rows: the fixture's own rows are not the request's
  @BeforeEach
  void makeFixture() {
    fixture.project();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badBodies")
  void aBodyThatIsNotUtf8IsRefusedAndWritesNothing(Bad bad) {
    long[] before = counts();
    long retentionSet = retentionSet();

    Response response = send(bad.method(), fill(bad.path()), bad.contentType(), fill(bad.body()));

    assertThat(response.statusCode()).as("%s: %s", bad, response.asString()).isEqualTo(400);
    assertThat(response.contentType()).startsWith("application/problem+json");
    assertThat(response.jsonPath().getString("code")).isEqualTo("BAD_REQUEST");
    assertThat(response.jsonPath().getString("detail")).isEqualTo(NOT_UTF8);
    assertThat(response.jsonPath().getInt("status")).isEqualTo(400);
    assertThat(response.jsonPath().getString("traceId")).isNotBlank();
    assertThat(counts()).as("%s: rows written", bad).containsExactly(before);
    assertThat(retentionSet()).as("%s: retention changed", bad).isEqualTo(retentionSet);
  }

  @Test
  void wellFormedMultiByteUtf8IsReadAsSent() {
    String text = "é ✓ 中 🚀";
    byte[] body = ("{\"params\":{\"text\":\"" + text + "\"}}").getBytes(UTF_8);

    Response response = send("POST", fill(START), "application/json", body);

    assertThat(response.statusCode()).as("%s", response.asString()).isEqualTo(201);
    long id = response.jsonPath().getLong("instanceId");
    assertThat(
            db.count(
                "select count(*) from workflow_instance where id = $1 and params ->> 'text' = $2",
                id,
                text))
        .isOne();
  }

  private long[] counts() {
    return TABLES.stream().mapToLong(t -> db.count("select count(*) from " + t)).toArray();
  }

  private long retentionSet() {
    return db.count("select count(*) from project where retention_days is not null");
  }

  private static Response send(String method, String path, String contentType, byte[] body) {
    return given()
        .config(AS_IS)
        .header("Authorization", "Bearer " + Api.ADMIN)
        .contentType(contentType)
        .body(body)
        .request(method, path);
  }

  private static String fill(String template) {
    return fixture.fill(template);
  }

  private static byte[] fill(byte[] body) {
    return fill(new String(body, ISO_8859_1)).getBytes(ISO_8859_1);
  }
}
