package io.flowgate.api.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowgate.support.Api;
import io.flowgate.support.Db;
import io.flowgate.support.EmbeddedPostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Token creation and revocation go through the Panache repository and are audited in their
 * transaction with a JSON object as detail, readable through the audit trail.
 */
@QuarkusTest
@WithTestResource(EmbeddedPostgresResource.class)
class TokenAuditTest {

  @Inject Db db;

  @Test
  void creationAndRevocationAreAuditedWithAnObjectDetail() {
    long project = Api.project();
    long id =
        Api.admin()
            .body(Map.of("name", "audited-token", "projects", List.of(project)))
            .post("/api/v1/tokens")
            .then()
            .statusCode(201)
            .extract()
            .jsonPath()
            .getLong("id");
    Api.admin().delete("/api/v1/tokens/" + id).then().statusCode(204);

    assertThat(
            db.count(
                "select count(*) from audit_event where action = 'token.create' and subject = $1"
                    + " and jsonb_typeof(detail) = 'object' and detail->>'name' = 'audited-token'",
                "token:" + id))
        .isOne();
    assertThat(
            db.count(
                "select count(*) from audit_event where action = 'token.revoke' and subject = $1"
                    + " and jsonb_typeof(detail) = 'object'",
                "token:" + id))
        .isOne();
    Api.admin().queryParam("limit", 500).get("/api/v1/audit").then().statusCode(200);
  }
}
