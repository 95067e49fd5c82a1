package io.flowgate.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowgate.persistence.Notifications;
import io.quarkus.reactive.datasource.ReactiveDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a {@link MultiStart} in ONE transaction: all its instances, or none. Idempotent: the same
 * request again (same keys, same fingerprints) gets the instances it created; a key used by another
 * request resolves to KEY_REUSED. Concurrent writes of one request are serialized by an advisory
 * lock on its key, so two of them never interleave. Created instances wake the masters after the
 * commit (see {@link BatchWriter}).
 */
@ApplicationScoped
public class MultiStartWriter {

  private static final String EXISTING =
      "select id, idempotency_key, request_fingerprint, trigger_code, workflow_version,"
          + " trace_parent, created_at from workflow_instance"
          + " where project_code = $1 and idempotency_key = any($2)";

  private static final String INSERT =
      """
      with input as (
        select * from unnest($1::bigint[], $2::uuid[], $3::bigint[], $4::int[], $5::text[],
                             $6::bool[], $7::text[], $8::text[], $9::text[], $10::text[],
                             $11::text[], $12::text[], $13::bool[], $14::text[], $15::text[],
                             $16::bigint[])
          as t(id, request_id, workflow_code, workflow_version, idempotency_key, key_generated,
               request_fingerprint, params, priority, failure_strategy, schedule_time,
               worker_group, dry_run, trace_parent, trace_state, run_after)
      ), ins as (
        insert into workflow_instance (id, request_id, project_code, workflow_code,
               workflow_version, idempotency_key, key_generated, request_fingerprint, params,
               priority, failure_strategy, schedule_time, worker_group, dry_run, trace_parent,
               trace_state, run_after, start_nodes, test_flag, trigger_code, complement_of, state)
        select id, request_id, $17, workflow_code, workflow_version, idempotency_key,
               key_generated, request_fingerprint, params::jsonb, priority, failure_strategy,
               schedule_time::timestamptz, worker_group, dry_run, trace_parent, trace_state,
               run_after, $18::text[], $19, $20, $21, 'SUBMITTED'
          from input
        returning id, created_at
      ), history as (
        insert into instance_transition (instance_id, state, detail)
        select id, 'SUBMITTED', 'created' from ins
      )
      select id, created_at from ins
      """;

  private final Pool pool;
  private final ObjectMapper json;
  private final Notifications notifications;

  public MultiStartWriter(
      @ReactiveDataSource(BoundedPools.WRITER) Pool pool,
      ObjectMapper json,
      Notifications notifications) {
    this.pool = pool;
    this.json = json;
    this.notifications = notifications;
  }

  /** Writes or resolves the request; store failures are classified as the batched writer's. */
  public Uni<MultiStart.Outcome> write(MultiStart start) {
    return pool.withTransaction(conn -> writeIn(conn, start))
        .invoke(
            outcome -> {
              if (outcome.kind() == MultiStart.Kind.CREATED) {
                notifications.publish(Notifications.INSTANCES);
              }
            })
        .onFailure()
        .transform(StoreFailures::classify);
  }

  private Uni<MultiStart.Outcome> writeIn(SqlConnection conn, MultiStart start) {
    List<MultiStart.Run> runs = start.runs();
    long project = runs.get(0).command().projectCode();
    String[] keys = runs.stream().map(r -> r.command().idempotencyKey()).toArray(String[]::new);
    return conn.preparedQuery("select pg_advisory_xact_lock(hashtextextended($1, 0))")
        .execute(Tuple.of(start.lockKey()))
        .flatMap(locked -> conn.preparedQuery(EXISTING).execute(Tuple.of(project, keys)))
        .flatMap(
            rows -> {
              if (rows.size() > 0) {
                Map<String, Row> byKey = new HashMap<>();
                rows.forEach(r -> byKey.put(InstanceRow.of(r).idempotencyKey(), r));
                return Uni.createFrom().item(resolve(runs, byKey));
              }
              return insert(conn, start, project);
            });
  }

  private static MultiStart.Outcome resolve(List<MultiStart.Run> runs, Map<String, Row> byKey) {
    List<InstanceSummary> found = new ArrayList<>();
    boolean same = byKey.size() == runs.size();
    long trigger = 0;
    for (MultiStart.Run run : runs) {
      Row stored = byKey.get(run.command().idempotencyKey());
      if (stored == null) {
        continue;
      }
      InstanceRow row = InstanceRow.of(stored);
      same &= run.command().fingerprint().equals(row.requestFingerprint());
      Long code = row.triggerCode();
      trigger = code == null ? 0 : code;
      found.add(summary(run.command(), row));
    }
    return new MultiStart.Outcome(
        same ? MultiStart.Kind.REPLAYED : MultiStart.Kind.KEY_REUSED, found, trigger);
  }

  private Uni<MultiStart.Outcome> insert(SqlConnection conn, MultiStart start, long project) {
    int n = start.runs().size();
    return conn.preparedQuery(
            "select nextval('workflow_instance_id_seq') as id,"
                + " (select nextval('dolphinscheduler_trigger_seq')) as trigger"
                + " from generate_series(1, $1)")
        .execute(Tuple.of(n))
        .flatMap(
            rows -> {
              List<Long> ids = new ArrayList<>();
              long[] trigger = new long[1];
              rows.forEach(
                  r -> {
                    ids.add(r.getLong("id"));
                    trigger[0] = r.getLong("trigger");
                  });
              return conn.preparedQuery(INSERT)
                  .execute(params(start, project, ids, trigger[0]))
                  .map(inserted -> created(start, ids, inserted, trigger[0]));
            });
  }

  private static MultiStart.Outcome created(
      MultiStart start, List<Long> ids, Iterable<Row> inserted, long trigger) {
    Map<Long, Row> byId = new HashMap<>();
    inserted.forEach(r -> byId.put(InstanceRow.of(r).id(), r));
    List<InstanceSummary> out = new ArrayList<>();
    for (int i = 0; i < ids.size(); i++) {
      StartCommand c = start.runs().get(i).command();
      out.add(InstanceRow.of(byId.get(ids.get(i))).insertedBy(c));
    }
    return new MultiStart.Outcome(MultiStart.Kind.CREATED, out, trigger);
  }

  // a replay answers the stored key, trace and version, and SUBMITTED as the first answer did
  private static InstanceSummary summary(StartCommand c, InstanceRow row) {
    return new InstanceSummary(
        row.id(),
        c.projectCode(),
        c.workflowCode(),
        row.workflowVersion(),
        "SUBMITTED",
        row.idempotencyKey(),
        row.traceId(),
        row.createdAt());
  }

  private Tuple params(MultiStart start, long project, List<Long> ids, long trigger) {
    int n = ids.size();
    Object[][] cols = new Object[16][];
    cols[0] = ids.toArray(new Long[0]);
    cols[1] = new java.util.UUID[n];
    cols[2] = new Long[n];
    cols[3] = new Integer[n];
    cols[4] = new String[n];
    cols[5] = new Boolean[n];
    cols[6] = new String[n];
    cols[7] = new String[n];
    cols[8] = new String[n];
    cols[9] = new String[n];
    cols[10] = new String[n];
    cols[11] = new String[n];
    cols[12] = new Boolean[n];
    cols[13] = new String[n];
    cols[14] = new String[n];
    cols[15] = new Long[n];
    for (int i = 0; i < n; i++) {
      MultiStart.Run run = start.runs().get(i);
      StartCommand c = run.command();
      cols[1][i] = c.requestId();
      cols[2][i] = c.workflowCode();
      cols[3][i] = c.workflowVersion();
      cols[4][i] = c.idempotencyKey();
      cols[5][i] = c.keyGenerated();
      cols[6][i] = c.fingerprint();
      cols[7][i] = toJson(c.params());
      cols[8][i] = c.priority().name();
      cols[9][i] = c.failureStrategy().name();
      cols[10][i] = c.scheduleTime() == null ? null : c.scheduleTime().toString();
      cols[11][i] = c.workerGroup();
      cols[12][i] = c.dryRun();
      cols[13][i] = c.traceParent();
      cols[14][i] = c.traceState();
      cols[15][i] = run.runAfter() < 0 ? null : ids.get(run.runAfter());
    }
    List<Object> values = new ArrayList<>(List.of((Object[]) cols));
    values.add(project);
    values.add(start.startNodes() == null ? null : start.startNodes().toArray(new String[0]));
    values.add(start.testFlag());
    values.add(trigger);
    values.add(start.complementOf());
    return Tuple.from(values);
  }

  private String toJson(Map<String, String> params) {
    try {
      return json.writeValueAsString(params);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
