package io.flowgate.store;

import static io.flowgate.support.Api.startPath;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flowgate.support.Api;
import io.flowgate.support.OwnDatabaseResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A store error that is not the request's data is the store's: with INSERT revoked (42501), a
 * read-only standby (25006), a renamed column (42703) or a role that may not log in (28000) every
 * start is answered 503 STORE_UNAVAILABLE with Retry-After, never 400, and the breaker counts it
 * until it opens; once the store is repaired the same keys commit exactly once. Runs on a database
 * and role of its own, so no other test class sees the damage.
 */
@QuarkusTest
@TestProfile(StoreRefusalTest.OwnRole.class)
@WithTestResource(OwnDatabaseResource.class)
class StoreRefusalTest {

  private static final String ROLE = OwnDatabaseResource.ROLE;
  private static final int STARTS = 8; // the breaker's request volume threshold

  /** Definitions stay cached through the fault, so only the writer meets it. */
  public static class OwnRole implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("flowgate.roles", "api", "flowgate.definition.cache-ttl", "120s");
    }
  }

  @Inject CircuitBreakerMaintenance breakers;

  @AfterEach
  void repair() throws SQLException {
    sql(
        "grant insert on workflow_instance to " + ROLE,
        "grant select on workflow_version to " + ROLE,
        "alter role " + ROLE + " login",
        "alter role " + ROLE + " reset default_transaction_read_only");
    if (count(
            "select count(*) from information_schema.columns where table_name = 'workflow_instance'"
                + " and column_name = 'worker_group_renamed'")
        == 1) {
      sql("alter table workflow_instance rename column worker_group_renamed to worker_group");
    }
    dropSessions();
    breakers.reset(StoreBoundary.BREAKER);
  }

  @Test
  void revokedInsertIsTheStoresFault() throws Exception {
    refusedThenCommittedOnce(
        () -> sql("revoke insert on workflow_instance from " + ROLE),
        () -> sql("grant insert on workflow_instance to " + ROLE));
  }

  @Test
  void readOnlyStandbyIsTheStoresFault() throws Exception {
    refusedThenCommittedOnce(
        () -> {
          sql("alter role " + ROLE + " set default_transaction_read_only = on");
          dropSessions();
        },
        () -> {
          sql("alter role " + ROLE + " reset default_transaction_read_only");
          dropSessions();
        });
  }

  @Test
  void schemaDriftIsTheStoresFault() throws Exception {
    refusedThenCommittedOnce(
        () ->
            sql("alter table workflow_instance rename column worker_group to worker_group_renamed"),
        () ->
            sql(
                "alter table workflow_instance rename column worker_group_renamed to worker_group"));
  }

  @Test
  void refusedLoginIsTheStoresFault() throws Exception {
    refusedThenCommittedOnce(
        () -> {
          sql("alter role " + ROLE + " nologin");
          dropSessions();
        },
        () -> sql("alter role " + ROLE + " login"));
  }

  @Test
  void batchItemsWhoseDefinitionCannotBeReadGet503NotInternalError() throws Exception {
    long project = Api.project();
    long workflow = Api.releasedWorkflow(project); // never started, so not cached
    Map<String, Object> body =
        Map.of(
            "items",
            List.of(
                Map.of("workflowCode", workflow, "idempotencyKey", "pre-1"),
                Map.of("workflowCode", workflow)));
    sql("revoke select on workflow_version from " + ROLE);

    JsonPath refused = batch(project, body);
    for (int i = 0; i < 2; i++) {
      assertThat(refused.getInt("results[" + i + "].status")).isEqualTo(503);
      assertThat(refused.getString("results[" + i + "].code")).isEqualTo("STORE_UNAVAILABLE");
      assertThat(refused.getLong("results[" + i + "].retryAfter")).isPositive();
      assertThat(refused.getString("results[" + i + "].idempotencyKey")).isNotBlank();
    }
    assertThat(instancesOf(project)).isZero();

    sql("grant select on workflow_version to " + ROLE);
    JsonPath started = batch(project, body);
    assertThat(started.getInt("results[0].status")).isEqualTo(201);
    assertThat(started.getInt("results[1].status")).isEqualTo(201);
    assertThat(instancesOf(project)).isEqualTo(2);
  }

  private interface Change {
    void apply() throws SQLException;
  }

  private void refusedThenCommittedOnce(Change fault, Change repair) throws Exception {
    long project = Api.project();
    long workflow = Api.releasedWorkflow(project);
    Api.admin().post(startPath(project, workflow)).then().statusCode(201); // caches the definition
    breakers.reset(StoreBoundary.BREAKER);
    fault.apply();

    for (int i = 0; i < STARTS; i++) {
      Response answer =
          Api.admin().header("Idempotency-Key", "r-" + i).post(startPath(project, workflow));
      assertThat(answer.statusCode()).as(answer.asString()).isEqualTo(503);
      assertThat(answer.jsonPath().getString("code")).isEqualTo("STORE_UNAVAILABLE");
      assertThat(answer.jsonPath().getString("idempotencyKey")).isEqualTo("r-" + i);
      assertThat(Long.parseLong(answer.header("Retry-After"))).isPositive();
    }
    assertThat(breakers.currentState(StoreBoundary.BREAKER))
        .as("the breaker counted every refusal")
        .isEqualTo(CircuitBreakerState.OPEN);
    assertThat(instancesOf(project)).isOne();

    repair.apply();
    breakers.reset(StoreBoundary.BREAKER);
    for (int i = 0; i < STARTS; i++) {
      Api.admin()
          .header("Idempotency-Key", "r-" + i)
          .post(startPath(project, workflow))
          .then()
          .statusCode(201);
    }
    assertThat(instancesOf(project)).isEqualTo(STARTS + 1);
    assertThat(
            count(
                "select count(distinct idempotency_key) from workflow_instance where project_code = "
                    + project
                    + " and idempotency_key like 'r-%'"))
        .isEqualTo(STARTS);
  }

  private static JsonPath batch(long project, Map<String, Object> body) {
    return Api.admin()
        .body(body)
        .post("/api/v1/projects/" + project + "/instances:batch")
        .then()
        .statusCode(200)
        .extract()
        .jsonPath();
  }

  // the service's sessions end, so the next connection meets the role's new settings; the
  // service may open new sessions at once (pools, listeners, the backlog count), so the wait is
  // for every session begun before the termination to be gone
  private static void dropSessions() throws SQLException {
    long before = count("select (extract(epoch from clock_timestamp()) * 1000000)::bigint");
    sql(
        "select pg_terminate_backend(pid) from pg_stat_activity where usename = '"
            + ROLE
            + "' and pid <> pg_backend_pid()");
    await()
        .atMost(Duration.ofSeconds(10))
        .pollDelay(Duration.ofMillis(100))
        .until(
            () ->
                count(
                        "select count(*) from pg_stat_activity where usename = '"
                            + ROLE
                            + "' and backend_start <= to_timestamp("
                            + before
                            + " / 1000000.0)")
                    == 0);
  }

  private static long instancesOf(long project) throws SQLException {
    return count("select count(*) from workflow_instance where project_code = " + project);
  }

  private static void sql(String... statements) throws SQLException {
    try (Connection admin = OwnDatabaseResource.admin();
        Statement sql = admin.createStatement()) {
      for (String statement : statements) {
        sql.execute(statement);
      }
    }
  }

  private static long count(String query) throws SQLException {
    try (Connection admin = OwnDatabaseResource.admin();
        Statement sql = admin.createStatement();
        ResultSet rows = sql.executeQuery(query)) {
      rows.next();
      return rows.getLong(1);
    }
  }
}
