package io.flowgate.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowgate.support.Api;
import io.flowgate.support.EmbeddedPostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The row mappers read what PostgreSQL stored: rows written here with every column set and with
 * every nullable column NULL, read back with {@code select *}, each column converted as the API and
 * the engine expect it.
 */
@QuarkusTest
@WithTestResource(EmbeddedPostgresResource.class)
class RowMappersTest {

  static final Duration WAIT = Duration.ofSeconds(30);
  static final String TRACE_PARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
  // inside the retention horizon: a finished row older than that would be removed by the
  // retention job of this or a later test application sharing the database
  static final OffsetDateTime SCHEDULE =
      OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS).minusHours(1);
  static final OffsetDateTime STARTED = SCHEDULE.plusMinutes(1);
  static final OffsetDateTime ENDED = SCHEDULE.plusMinutes(2);

  @Inject Pool pool;

  @Test
  void instanceRowWithEveryColumnSet() {
    long project = Api.project();
    long workflow = Api.releasedWorkflow(project);
    UUID request = UUID.randomUUID();
    long id =
        insert(
            "insert into workflow_instance (project_code, workflow_code, workflow_version, state,"
                + " priority, failure_strategy, params, schedule_time, worker_group, dry_run,"
                + " idempotency_key, request_id, request_fingerprint, trace_parent, trace_state,"
                + " start_nodes, test_flag, trigger_code, complement_of, lease_owner, claim_count,"
                + " started_at, ended_at) values ($1, $2, 1, 'STOPPED', 'HIGH', 'CONTINUE',"
                + " '{\"b\":\"2\",\"a\":\"1\"}', $3, 'gpu', true, 'k-full', $4, 'fp', $5,"
                + " 'v=1', '{t1,t2}', true, 42, 'cmp', 'master-1', 2, $6, $7) returning id",
            Tuple.from(
                List.of(project, workflow, SCHEDULE, request, TRACE_PARENT, STARTED, ENDED)));

    InstanceRow row = InstanceRow.of(select("workflow_instance", id));

    assertThat(row.id()).isEqualTo(id);
    assertThat(row.projectCode()).isEqualTo(project);
    assertThat(row.workflowCode()).isEqualTo(workflow);
    assertThat(row.workflowVersion()).isEqualTo(1);
    assertThat(row.state()).isEqualTo("STOPPED");
    assertThat(row.priority()).isEqualTo("HIGH");
    assertThat(row.failureStrategy()).isEqualTo("CONTINUE");
    assertThat(row.params()).isEqualTo(Map.of("a", "1", "b", "2"));
    assertThat(row.paramsJson()).isEqualTo(new JsonObject().put("a", "1").put("b", "2"));
    assertThat(row.scheduleTime()).isAtSameInstantAs(SCHEDULE);
    assertThat(row.workerGroup()).isEqualTo("gpu");
    assertThat(row.dryRun()).isTrue();
    assertThat(row.testFlag()).isTrue();
    assertThat(row.idempotencyKey()).isEqualTo("k-full");
    assertThat(row.requestId()).isEqualTo(request);
    assertThat(row.requestFingerprint()).isEqualTo("fp");
    assertThat(row.traceParent()).isEqualTo(TRACE_PARENT);
    assertThat(row.traceId()).isEqualTo("0af7651916cd43dd8448eb211c80319c");
    assertThat(row.traceState()).isEqualTo("v=1");
    assertThat(row.startNodes()).containsExactly("t1", "t2");
    assertThat(row.triggerCode()).isEqualTo(42L);
    assertThat(row.complementOf()).isEqualTo("cmp");
    assertThat(row.leaseOwner()).isEqualTo("master-1");
    assertThat(row.claimCount()).isEqualTo(2);
    assertThat(row.startedAt()).isAtSameInstantAs(STARTED);
    assertThat(row.endedAt()).isAtSameInstantAs(ENDED);
    assertThat(row.createdAt()).isNotNull();
    assertThat(row.updatedAt()).isNotNull();
    assertThat(row.summary())
        .isEqualTo(
            new InstanceSummary(
                id,
                project,
                workflow,
                1,
                "STOPPED",
                "k-full",
                "0af7651916cd43dd8448eb211c80319c",
                row.createdAt()));
  }

  @Test
  void instanceRowWithEveryNullableColumnNull() {
    long project = Api.project();
    long workflow = Api.releasedWorkflow(project);
    long id = minimalInstance(project, workflow);

    InstanceRow row = InstanceRow.of(select("workflow_instance", id));

    assertThat(row.params()).isEmpty();
    assertThat(row.scheduleTime()).isNull();
    assertThat(row.workerGroup()).isNull();
    assertThat(row.dryRun()).isFalse();
    assertThat(row.testFlag()).isFalse();
    assertThat(row.traceParent()).isNull();
    assertThat(row.traceId()).isNull();
    assertThat(row.traceState()).isNull();
    assertThat(row.startNodes()).isNull();
    assertThat(row.triggerCode()).isNull();
    assertThat(row.complementOf()).isNull();
    assertThat(row.leaseOwner()).isNull();
    assertThat(row.claimCount()).isZero();
    assertThat(row.startedAt()).isNull();
    assertThat(row.endedAt()).isNull();
  }

  @Test
  void taskRowWithColumnsSetAndNull() {
    long project = Api.project();
    long workflow = Api.releasedWorkflow(project);
    long instance = minimalInstance(project, workflow);
    long full =
        insert(
            "insert into task_instance (instance_id, task_code, task_type, params, state, attempt,"
                + " max_retries, timeout_seconds, error, advanced, started_at, ended_at)"
                + " values ($1, 'a', 'HTTP', '{\"url\":\"http://x\"}', 'FAILURE', 3, 5, 30,"
                + " 'boom', true, $2, $3) returning id",
            Tuple.of(instance, STARTED, ENDED));
    long bare =
        insert(
            "insert into task_instance (instance_id, task_code, task_type, state)"
                + " values ($1, 'b', 'NOOP', 'DISPATCHED') returning id",
            Tuple.of(instance));

    TaskRow set = TaskRow.of(select("task_instance", full));
    assertThat(set.id()).isEqualTo(full);
    assertThat(set.instanceId()).isEqualTo(instance);
    assertThat(set.taskCode()).isEqualTo("a");
    assertThat(set.taskType()).isEqualTo("HTTP");
    assertThat(set.params()).isEqualTo(new JsonObject().put("url", "http://x"));
    assertThat(set.state()).isEqualTo("FAILURE");
    assertThat(set.attempt()).isEqualTo(3);
    assertThat(set.maxRetries()).isEqualTo(5);
    assertThat(set.timeoutSeconds()).isEqualTo(30);
    assertThat(set.error()).isEqualTo("boom");
    assertThat(set.advanced()).isTrue();
    assertThat(set.startedAt()).isAtSameInstantAs(STARTED);
    assertThat(set.endedAt()).isAtSameInstantAs(ENDED);

    TaskRow nulls = TaskRow.of(select("task_instance", bare));
    assertThat(nulls.params()).isEqualTo(new JsonObject());
    assertThat(nulls.attempt()).isEqualTo(1);
    assertThat(nulls.maxRetries()).isZero();
    assertThat(nulls.timeoutSeconds()).isNull();
    assertThat(nulls.error()).isNull();
    assertThat(nulls.advanced()).isFalse();
    assertThat(nulls.startedAt()).isNull();
    assertThat(nulls.endedAt()).isNull();
  }

  @Test
  void definitionRowJoinsWorkflowAndVersion() {
    long project = Api.project();
    long workflow = Api.releasedWorkflow(project);
    Row joined =
        pool.preparedQuery(
                "select w.code, w.project_code, w.name, w.name as workflow_name, w.release_state,"
                    + " v.version, v.dag, v.global_params from workflow w join workflow_version v"
                    + " on v.workflow_code = w.code where w.code = $1")
            .execute(Tuple.of(workflow))
            .await()
            .atMost(WAIT)
            .iterator()
            .next();

    DefinitionRow row = DefinitionRow.of(joined);

    assertThat(row.code()).isEqualTo(workflow);
    assertThat(row.projectCode()).isEqualTo(project);
    assertThat(row.name()).isNotBlank().isEqualTo(row.workflowName());
    assertThat(row.releaseState()).isEqualTo("ONLINE");
    assertThat(row.version()).isEqualTo(1);
    assertThat(row.dag().getJsonArray("tasks")).isNotEmpty();
    assertThat(row.globalParams()).isNotNull();
  }

  private long minimalInstance(long project, long workflow) {
    return insert(
        "insert into workflow_instance (project_code, workflow_code, workflow_version, state,"
            + " priority, failure_strategy, idempotency_key, request_id, request_fingerprint)"
            + " values ($1, $2, 1, 'STOPPED', 'MEDIUM', 'END', $3, $4, 'fp') returning id",
        Tuple.of(project, workflow, "k-" + UUID.randomUUID(), UUID.randomUUID()));
  }

  private long insert(String sql, Tuple args) {
    return pool.preparedQuery(sql).execute(args).await().atMost(WAIT).iterator().next().getLong(0);
  }

  private Row select(String table, long id) {
    return pool.preparedQuery("select * from " + table + " where id = $1")
        .execute(Tuple.of(id))
        .await()
        .atMost(WAIT)
        .iterator()
        .next();
  }
}
