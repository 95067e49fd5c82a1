package io.flowgate.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flowgate.support.Api;
import io.flowgate.support.Db;
import io.flowgate.support.EmbeddedPostgresResource;
import io.flowgate.worker.Worker;
import io.flowgate.worker.WorkerFactory;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Two more masters and workers beside the app's own, one database, 1000 instances. */
@QuarkusTest
@TestProfile(EngineTestProfile.class)
@WithTestResource(EmbeddedPostgresResource.class)
class ScaleOutTest {

  private static final int INSTANCES = 1000;

  @Inject MasterFactory masters;
  @Inject WorkerFactory workers;
  @Inject Db db;
  @Inject EngineDb engine;

  @Test
  void manyReplicasRunEveryInstanceOnceToSuccess() {
    long project = Api.project();
    long workflow =
        Api.releasedWorkflow(
            project,
            List.of(
                Map.of("code", "a", "type", "NOOP"),
                Map.of("code", "b", "type", "NOOP"),
                Map.of("code", "c", "type", "NOOP")),
            List.of(Map.of("from", "a", "to", "b"), Map.of("from", "a", "to", "c")));
    Master m2 = masters.create("test-master-2");
    Master m3 = masters.create("test-master-3");
    Worker w2 = workers.create("test-worker-2");
    Worker w3 = workers.create("test-worker-3");
    List.of(m2, m3).forEach(Master::start);
    List.of(w2, w3).forEach(Worker::start);
    try {
      db.execute(
          "insert into workflow_instance (project_code, workflow_code, workflow_version, state,"
              + " priority, failure_strategy, idempotency_key, request_id, request_fingerprint)"
              + " select $1, $2, 1, 'SUBMITTED', 'MEDIUM', 'END', 'bulk-' || n,"
              + " gen_random_uuid(), 'bulk' from generate_series(1, $3) n",
          project,
          workflow,
          INSTANCES);
      db.execute("notify flowgate_instances");

      await()
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(500))
          .until(
              () ->
                  db.count(
                          "select count(*) from workflow_instance where project_code = $1"
                              + " and state = 'SUCCESS'",
                          project)
                      == INSTANCES);
    } finally {
      List.of(m2, m3).forEach(Master::stop);
      List.of(w2, w3).forEach(Worker::stop);
    }

    assertThat(
            db.count(
                "select count(*) from task_instance t join workflow_instance i"
                    + " on i.id = t.instance_id where i.project_code = $1 and t.state = 'SUCCESS'",
                project))
        .isEqualTo(3L * INSTANCES);
    // no task attempt reported SUCCESS twice
    assertThat(
            db.count(
                "select count(*) from (select 1 from instance_transition x join workflow_instance i"
                    + " on i.id = x.instance_id where i.project_code = $1 and x.state = 'SUCCESS'"
                    + " and x.task_code is not null group by x.instance_id, x.task_code, x.attempt"
                    + " having count(*) > 1) d",
                project))
        .isZero();
    // every claim of an instance (claim_count) has exactly one claim record with one owner
    assertThat(
            db.count(
                "select count(*) from workflow_instance i where i.project_code = $1 and"
                    + " i.claim_count <> (select count(distinct x.attempt) from instance_transition x"
                    + " where x.instance_id = i.id and x.task_code is null and x.attempt is not null)",
                project))
        .isZero();
    assertThat(
            db.count(
                "select count(*) from (select x.instance_id, x.attempt from instance_transition x"
                    + " join workflow_instance i on i.id = x.instance_id where i.project_code = $1"
                    + " and x.task_code is null and x.attempt is not null"
                    + " group by x.instance_id, x.attempt having count(*) > 1) d",
                project))
        .isZero();
    List<String> owners =
        engine
            .rows(
                "select distinct lease_owner from workflow_instance where project_code = $1",
                project)
            .stream()
            .map(r -> r.getString("lease_owner"))
            .toList();
    assertThat(owners)
        .isNotEmpty()
        .allMatch(o -> o.startsWith("test-master-") || o.equals(ReplicaId.get()));
  }
}
