package io.flowgate.engine;

import static io.flowgate.support.Api.admin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.flowgate.support.Api;
import io.flowgate.support.EmbeddedPostgresResource;
import io.flowgate.worker.WorkerRole;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.http.HttpServer;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Instances run through the app's own master and worker: order, failures, retries, stop. */
@QuarkusTest
@TestProfile(EngineTestProfile.class)
@WithTestResource(EmbeddedPostgresResource.class)
class EngineFlowTest {

  @Inject EngineDb db;
  @Inject Vertx vertx;
  @Inject WorkerRole workers;

  private HttpServer server;
  private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();

  @BeforeEach
  void startServer() {
    server =
        vertx
            .createHttpServer()
            .requestHandler(
                req -> {
                  int hit =
                      hits.computeIfAbsent(req.path(), p -> new AtomicInteger()).incrementAndGet();
                  boolean ok =
                      req.path().startsWith("/ok") || (req.path().startsWith("/flaky") && hit > 1);
                  req.response().setStatusCode(ok ? 200 : 500).endAndForget("done");
                })
            .listen(0)
            .await()
            .atMost(Duration.ofSeconds(10));
  }

  @AfterEach
  void stopServer() {
    server.close().await().atMost(Duration.ofSeconds(10));
  }

  private String url(String path) {
    return "http://127.0.0.1:" + server.actualPort() + path;
  }

  static Map<String, Object> task(String code, String type, Map<String, Object> params) {
    return Map.of("code", code, "type", type, "params", params);
  }

  static Map<String, String> edge(String from, String to) {
    return Map.of("from", from, "to", to);
  }

  private void assertParentsFirst(long id, List<Map<String, String>> edges) {
    List<String> history = db.history(id);
    for (Map<String, String> e : edges) {
      int parentDone = history.indexOf(e.get("from") + ":1:SUCCESS");
      int childDispatched = history.indexOf(e.get("to") + ":1:DISPATCHED");
      int childRunning = history.indexOf(e.get("to") + ":1:RUNNING");
      assertThat(parentDone).as("%s in %s", e, history).isGreaterThanOrEqualTo(0);
      assertThat(childDispatched).as("%s in %s", e, history).isGreaterThan(parentDone);
      assertThat(childRunning).as("%s in %s", e, history).isGreaterThan(childDispatched);
    }
  }

  @Test
  void diamondAndFanOutRunInDagOrder() {
    long project = Api.project();
    List<Map<String, String>> diamond =
        List.of(edge("a", "b"), edge("a", "c"), edge("b", "d"), edge("c", "d"));
    long w1 =
        Api.releasedWorkflow(
            project,
            List.of(
                task("a", "NOOP", Map.of()),
                task("b", "WAIT", Map.of("seconds", 1)),
                task("c", "HTTP", Map.of("method", "GET", "url", url("/ok"))),
                task("d", "NOOP", Map.of())),
            diamond);
    List<Map<String, String>> fan =
        List.of(edge("root", "f1"), edge("root", "f2"), edge("root", "f3"), edge("f1", "end"));
    long w2 =
        Api.releasedWorkflow(
            project,
            List.of(
                task("root", "WAIT", Map.of("seconds", 0)),
                task("f1", "NOOP", Map.of()),
                task("f2", "NOOP", Map.of()),
                task("f3", "NOOP", Map.of()),
                task("end", "NOOP", Map.of())),
            fan);
    long i1 = db.start(project, w1, "END");
    long i2 = db.start(project, w2, "END");

    assertThat(db.awaitFinal(i1)).isEqualTo("SUCCESS");
    assertThat(db.awaitFinal(i2)).isEqualTo("SUCCESS");
    assertParentsFirst(i1, diamond);
    assertParentsFirst(i2, fan);
    assertThat(db.history(i1))
        .containsSubsequence("SUBMITTED", "RUNNING", "a:1:DISPATCHED")
        .endsWith("SUCCESS");
    assertThat(db.taskStates(i2))
        .hasSize(5)
        .containsValue("SUCCESS")
        .doesNotContainValue("FAILURE");
  }

  @Test
  void endFailsAtTheFirstFailedTaskAndStopsTheRest() {
    long project = Api.project();
    long workflow =
        Api.releasedWorkflow(
            project,
            List.of(
                task("refused", "HTTP", Map.of("method", "GET", "url", "http://127.0.0.1:1/")),
                task("slow", "WAIT", Map.of("seconds", 60)),
                task("after", "NOOP", Map.of())),
            List.of(edge("refused", "after")));
    long id = db.start(project, workflow, "END");

    assertThat(db.awaitFinal(id)).isEqualTo("FAILURE");
    assertThat(db.taskStates(id)).containsEntry("refused", "FAILURE").doesNotContainKey("after");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> "STOPPED".equals(db.taskStates(id).get("slow")));
    assertThat(db.error(id, "refused", 1)).contains("GET http://127.0.0.1:1/ failed");
  }

  @Test
  void continueRunsIndependentBranchesAndFailsAtTheEnd() {
    long project = Api.project();
    long workflow =
        Api.releasedWorkflow(
            project,
            List.of(
                task(
                    "mismatch",
                    "HTTP",
                    Map.of(
                        "method", "POST", "url", url("/fail"), "body", "{}", "expectStatus", 200)),
                task("child", "NOOP", Map.of()),
                task("other", "WAIT", Map.of("seconds", 1)),
                task("otherChild", "NOOP", Map.of())),
            List.of(edge("mismatch", "child"), edge("other", "otherChild")));
    long id = db.start(project, workflow, "CONTINUE");

    assertThat(db.awaitFinal(id)).isEqualTo("FAILURE");
    assertThat(db.taskStates(id))
        .containsEntry("mismatch", "FAILURE")
        .containsEntry("other", "SUCCESS")
        .containsEntry("otherChild", "SUCCESS")
        .doesNotContainKey("child");
    assertThat(db.error(id, "mismatch", 1)).contains("answered 500, expected 200");
  }

  @Test
  void failedAttemptsAreRetriedUntilRetriesRunOut() {
    long project = Api.project();
    long workflow =
        Api.releasedWorkflow(
            project,
            List.of(
                Map.of(
                    "code",
                    "flaky",
                    "type",
                    "HTTP",
                    "retries",
                    2,
                    "retryDelaySeconds",
                    1,
                    "params",
                    Map.of("method", "GET", "url", url("/flaky-" + project))),
                Map.of(
                    "code",
                    "broken",
                    "type",
                    "HTTP",
                    "retries",
                    2,
                    "params",
                    Map.of("method", "GET", "url", url("/fail-" + project)))),
            List.of());
    long id = db.start(project, workflow, "CONTINUE");

    assertThat(db.awaitFinal(id)).isEqualTo("FAILURE");
    assertThat(db.history(id))
        .containsSubsequence("flaky:1:FAILURE", "flaky:2:DISPATCHED", "flaky:2:SUCCESS")
        .contains("broken:1:FAILURE", "broken:2:FAILURE", "broken:3:FAILURE")
        .doesNotContain("flaky:3:DISPATCHED", "broken:4:DISPATCHED");
    assertThat(db.taskStates(id))
        .containsEntry("flaky", "SUCCESS")
        .containsEntry("broken", "FAILURE");
  }

  @Test
  void aTaskRunningPastItsTimeoutFails() {
    long project = Api.project();
    long workflow =
        Api.releasedWorkflow(
            project,
            List.of(
                Map.of(
                    "code",
                    "sleepy",
                    "type",
                    "WAIT",
                    "timeoutSeconds",
                    1,
                    "params",
                    Map.of("seconds", 60))),
            List.of());
    long id = db.start(project, workflow, "END");

    assertThat(db.awaitFinal(id)).isEqualTo("FAILURE");
    assertThat(db.error(id, "sleepy", 1)).isEqualTo("timed out after 1s");
  }

  @Test
  void stopEndsARunningInstanceStopped() {
    long project = Api.project();
    long workflow =
        Api.releasedWorkflow(
            project, List.of(task("long", "WAIT", Map.of("seconds", 60))), List.of());
    long id = db.start(project, workflow, "END");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> "RUNNING".equals(db.taskStates(id).get("long")));
    String stranger = Api.token(Api.project(), "read", "start");

    Api.as(stranger)
        .post("/api/v1/instances/" + id + "/stop")
        .then()
        .statusCode(404)
        .body("code", equalTo("INSTANCE_NOT_FOUND"));
    admin()
        .post("/api/v1/instances/" + id + "/stop")
        .then()
        .statusCode(202)
        .body("state", equalTo("STOPPING"));

    assertThat(db.awaitFinal(id)).isEqualTo("STOPPED");
    assertThat(db.taskStates(id)).containsEntry("long", "STOPPED");
    assertThat(db.history(id)).containsSubsequence("STOPPING", "long:1:STOPPED", "STOPPED");
    // the worker gave up the stopped task instead of waiting for it to end
    await().atMost(Duration.ofSeconds(30)).until(() -> workers.worker().inFlight() == 0);
    admin()
        .post("/api/v1/instances/" + id + "/stop")
        .then()
        .statusCode(409)
        .body("code", equalTo("INSTANCE_NOT_STOPPABLE"));
  }
}
