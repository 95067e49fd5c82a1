package io.flowgate.admission;

import static io.flowgate.support.Api.startPath;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flowgate.observability.StartLedger;
import io.flowgate.support.Api;
import io.flowgate.support.Db;
import io.flowgate.support.RawHttp;
import io.flowgate.support.RowLock;
import io.restassured.RestAssured;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;

/**
 * A client that hangs up while its start waits for the store (the writer is held by a row lock)
 * changes nothing on the server: once the lock is gone the row commits once, the request settles,
 * in-flight returns to 0, nothing is unaccounted, readiness stays UP, and the hang-up is counted.
 * Run once per write mode by the subclasses.
 */
abstract class ClientGoneScenarios {

  private static final Duration SETTLES = Duration.ofSeconds(30);
  private static final String JSON = "application/json";
  private static final Map<String, String> ADMIN = Map.of("Authorization", "Bearer " + Api.ADMIN);

  @Inject Db db;
  @Inject Pool pool;
  @Inject StartLedger ledger;

  @Test
  void singleStartWhoseClientHangsUpStillCommitsOnceAndSettles() throws Exception {
    long project = Api.project();
    long workflow = Api.releasedWorkflow(project);
    Map<String, String> headers =
        Map.of("Authorization", "Bearer " + Api.ADMIN, "Idempotency-Key", "gone-1");

    hangUpWhileHeld(project, 1, 1, () -> send(startPath(project, workflow), headers, JSON, "{}"));

    assertThat(
            db.count(
                "select count(*) from workflow_instance"
                    + " where project_code = $1 and idempotency_key = 'gone-1'",
                project))
        .isOne();
  }

  @Test
  void batchWhoseClientHangsUpCommitsKeyedAndKeylessItemsOnce() throws Exception {
    long project = Api.project();
    long workflow = Api.releasedWorkflow(project);
    String body =
        "{\"items\":[{\"workflowCode\":%d,\"idempotencyKey\":\"gone-a\"},{\"workflowCode\":%d},"
                .formatted(workflow, workflow)
            + "{\"workflowCode\":%d,\"idempotencyKey\":\"gone-b\"},{\"workflowCode\":%d}]}"
                .formatted(workflow, workflow);

    // keyed items are memoized (a later item with the same key waits for the first), so the
    // hang-up reaches the keyless ones; all four must commit and settle
    hangUpWhileHeld(
        project,
        4,
        2,
        () -> send("/api/v1/projects/" + project + "/instances:batch", ADMIN, JSON, body));

    assertThat(db.instancesOf(project)).isEqualTo(4);
    assertThat(
            db.count(
                "select count(*) from workflow_instance where project_code = $1 and key_generated",
                project))
        .isEqualTo(2);
  }

  @Test
  void dolphinSchedulerStartWhoseClientHangsUpStillCommitsOnceAndSettles() throws Exception {
    long project = Api.project();
    long workflow = Api.releasedWorkflow(project);
    // with every parameter DS requires (scheduleTime empty: a plain run), so it reaches admission
    String form =
        "processDefinitionCode=" + workflow + "&scheduleTime=&failureStrategy=END&warningType=NONE";

    hangUpWhileHeld(
        project,
        1,
        1,
        () ->
            send(
                "/dolphinscheduler/projects/" + project + "/executors/start-process-instance",
                Map.of("token", Api.ADMIN),
                "application/x-www-form-urlencoded",
                form));

    assertThat(db.instancesOf(project)).isOne();
  }

  private interface Request {
    RawHttp open() throws Exception;
  }

  private static RawHttp send(String path, Map<String, String> headers, String type, String body)
      throws Exception {
    return RawHttp.send(RestAssured.port, path, headers, type, body);
  }

  // sends the request while the project row is locked, hangs up once the requests are admitted
  // and the hang-up reached the server, then lets the store go on
  private void hangUpWhileHeld(long project, int requests, int gone, Request request)
      throws Exception {
    long goneBefore = ledger.clientGoneCount();
    long admittedBefore = ledger.admittedCount();
    try (RowLock lock = RowLock.onProject(pool, project)) {
      RawHttp client = request.open();
      awaitAtLeast(() -> ledger.admittedCount() - admittedBefore, requests);
      assertThat(db.instancesOf(project)).isZero();
      client.close();
      awaitAtLeast(() -> ledger.clientGoneCount() - goneBefore, gone);
      lock.release();
      await().atMost(SETTLES).until(() -> ledger.inFlight() == 0);
    }
    assertThat(ledger.unaccounted()).isZero();
    assertThat(ledger.admittedCount())
        .isEqualTo(ledger.committedCount() + ledger.replayedCount() + ledger.failedCount());
    RestAssured.get("/q/health/ready").then().statusCode(200);
    RestAssured.get("/q/metrics")
        .then()
        .statusCode(200)
        .body(org.hamcrest.Matchers.containsString("flowgate_start_client_gone_total"));
  }

  private static void awaitAtLeast(LongSupplier value, long expected) {
    await().atMost(SETTLES).until(() -> value.getAsLong() >= expected);
  }
}
