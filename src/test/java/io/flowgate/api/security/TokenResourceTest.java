package io.flowgate.api.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import io.flowgate.support.Api;
import io.flowgate.support.Db;
import io.flowgate.support.EmbeddedPostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Token life: creation, listing without secrets, last use, revocation, and refused grants. */
@QuarkusTest
@WithTestResource(EmbeddedPostgresResource.class)
class TokenResourceTest {

  @Inject Db db;

  @Test
  void theListingShowsLastUseAndRevocationButNeverTheSecret() {
    long project = Api.project();
    JsonPath created = create(Map.of("name", "listed", "projects", List.of(project)));
    long id = created.getLong("id");
    String secret = created.getString("secret");

    assertThat(listed(id).get("lastUsedAt")).isNull();
    Api.as("fgt_" + id + "_wrong-secret")
        .get("/api/v1/projects/" + project)
        .then()
        .statusCode(401)
        .body("code", equalTo("UNAUTHENTICATED"));
    assertThat(listed(id).get("lastUsedAt")).as("a wrong secret is not a use").isNull();
    Api.as(secret).get("/api/v1/projects/" + project).then().statusCode(200);
    assertThat(listed(id).get("lastUsedAt")).isNotNull();

    Api.admin().delete("/api/v1/tokens/" + id).then().statusCode(204);
    Map<String, Object> after = listed(id);
    assertThat(after.get("revokedAt")).isNotNull();
    assertThat(after).doesNotContainKeys("secret", "salt", "secretHash");
    Api.as(secret)
        .get("/api/v1/projects/" + project)
        .then()
        .statusCode(401)
        .body("code", equalTo("UNAUTHENTICATED"));
  }

  @Test
  void revokingTwiceIs404() {
    long id = create(Map.of("name", "twice", "admin", true)).getLong("id");
    Api.admin().delete("/api/v1/tokens/" + id).then().statusCode(204);
    Api.admin()
        .delete("/api/v1/tokens/" + id)
        .then()
        .statusCode(404)
        .body("code", equalTo("NOT_FOUND"));
  }

  @Test
  void creationIsAuditedWithoutTheSecret() {
    long id = create(Map.of("name", "audited", "admin", true)).getLong("id");
    assertThat(
            db.count(
                "select count(*) from audit_event where action = 'token.create'"
                    + " and subject = $1 and actor = 'admin'",
                "token:" + id))
        .isOne();
    assertThat(
            db.count(
                "select count(*) from audit_event where subject = $1"
                    + " and detail::text ~* '(secret|salt|hash|fgt_)'",
                "token:" + id))
        .isZero();
  }

  static Stream<Arguments> refusedGrants() {
    return Stream.of(
        Arguments.of("no name", Map.of("admin", true), 400, "VALIDATION_FAILED"),
        Arguments.of("bad name", Map.of("name", "a;b", "admin", true), 400, "VALIDATION_FAILED"),
        Arguments.of("no projects", Map.of("name", "t"), 400, "VALIDATION_FAILED"),
        Arguments.of(
            "unknown project",
            Map.of("name", "t", "projects", List.of(987_654_321L)),
            404,
            "PROJECT_NOT_FOUND"),
        Arguments.of(
            "unknown scope",
            Map.of("name", "t", "admin", true, "scopes", List.of("delete")),
            400,
            "VALIDATION_FAILED"),
        Arguments.of(
            "null scope",
            Map.of("name", "t", "admin", true, "scopes", Arrays.asList((String) null)),
            400,
            "VALIDATION_FAILED"),
        Arguments.of(
            "expiry zero",
            Map.of("name", "t", "admin", true, "expiresInSeconds", 0),
            400,
            "VALIDATION_FAILED"),
        Arguments.of(
            "zero rate",
            Map.of("name", "t", "admin", true, "rateLimit", Map.of("perSecond", 0, "burst", 5)),
            400,
            "VALIDATION_FAILED"),
        Arguments.of(
            "negative burst",
            Map.of("name", "t", "admin", true, "rateLimit", Map.of("perSecond", 5, "burst", -1)),
            400,
            "VALIDATION_FAILED"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusedGrants")
  void aRefusedGrantWritesNoToken(String what, Map<String, Object> body, int status, String code) {
    long before = db.count("select count(*) from api_token");
    Api.admin()
        .body(body)
        .post("/api/v1/tokens")
        .then()
        .statusCode(status)
        .body("code", equalTo(code));
    assertThat(db.count("select count(*) from api_token")).isEqualTo(before);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badPages")
  void aBadPageOfTheListingIs400(String query) {
    Api.admin()
        .get("/api/v1/tokens?" + query)
        .then()
        .statusCode(400)
        .body("code", equalTo("VALIDATION_FAILED"));
  }

  static Stream<String> badPages() {
    return Stream.of("limit=abc", "limit=0", "limit=501", "limit=1e3", "after=-1", "after=x");
  }

  @Test
  void aProjectTokenCannotMintTokens() {
    long project = Api.project();
    String token = Api.token(project, "read", "start");
    long before = db.count("select count(*) from api_token");
    Api.as(token)
        .body(Map.of("name", "escalate", "admin", true))
        .post("/api/v1/tokens")
        .then()
        .statusCode(403)
        .body("code", equalTo("FORBIDDEN"));
    Api.as(token).get("/api/v1/tokens").then().statusCode(403).body("code", equalTo("FORBIDDEN"));
    assertThat(db.count("select count(*) from api_token")).isEqualTo(before);
  }

  private static JsonPath create(Map<String, Object> body) {
    return Api.admin()
        .body(body)
        .post("/api/v1/tokens")
        .then()
        .statusCode(201)
        .body("secret", notNullValue())
        .body("secretHash", nullValue())
        .extract()
        .jsonPath();
  }

  private static Map<String, Object> listed(long id) {
    JsonPath page =
        Api.admin()
            .queryParam("after", id - 1)
            .queryParam("limit", 1)
            .get("/api/v1/tokens")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertThat(page.getLong("items[0].id")).isEqualTo(id);
    return page.getMap("items[0]");
  }
}
