package io.flowgate.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowgate.config.StoreConfig;
import io.flowgate.persistence.Notifications;
import io.quarkus.reactive.datasource.ReactiveDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Writes a batch of start commands in ONE transaction: a multi-row insert that lets the unique
 * (project, idempotency key) constraint decide, then one read that resolves replays and conflicts.
 * The result list has one entry per command, in order. A batch that created instances wakes the
 * masters after its commit through {@link Notifications#publish} (coalesced, outside the
 * transaction: a {@code NOTIFY} inside it would serialise the writers' commits on PostgreSQL's
 * notify lock and cost a round trip per batch).
 */
@ApplicationScoped
public class BatchWriter implements BatchStore {

  private static final String INSERT =
      """
      with input as (
        select * from unnest($1::uuid[], $2::bigint[], $3::bigint[], $4::int[], $5::text[],
                             $6::bool[], $7::text[], $8::text[], $9::text[], $10::text[],
                             $11::text[], $12::text[], $13::bool[], $14::text[], $15::text[])
          as t(request_id, project_code, workflow_code, workflow_version, idempotency_key,
               key_generated, request_fingerprint, params, priority, failure_strategy,
               schedule_time, worker_group, dry_run, trace_parent, trace_state)
      ), ins as (
        insert into workflow_instance (request_id, project_code, workflow_code, workflow_version,
               idempotency_key, key_generated, request_fingerprint, params, priority,
               failure_strategy, schedule_time, worker_group, dry_run, trace_parent, trace_state,
               state)
        select request_id, project_code, workflow_code, workflow_version, idempotency_key,
               key_generated, request_fingerprint, params::jsonb, priority, failure_strategy,
               schedule_time::timestamptz, worker_group, dry_run, trace_parent, trace_state,
               'SUBMITTED'
          from input
        on conflict (project_code, idempotency_key) do nothing
        returning id, request_id, created_at
      ), history as (
        insert into instance_transition (instance_id, state, detail)
        select id, 'SUBMITTED', 'created' from ins
      )
      select id, request_id, created_at from ins
      """;

  private static final String RESOLVE =
      """
      select i.id, i.request_id, i.project_code, i.workflow_code, i.workflow_version, i.state,
             i.idempotency_key, i.request_fingerprint, i.trace_parent, i.created_at
        from workflow_instance i
        join unnest($1::bigint[], $2::text[]) as k(project_code, idempotency_key)
          using (project_code, idempotency_key)
      """;

  private final Pool pool;
  private final CommitSpans commitSpans;
  private final ObjectMapper json;
  private final Notifications notifications;
  private final String setTimeouts;
  private final String setTimeoutsAfterLockTimeout;

  public BatchWriter(
      @ReactiveDataSource(BoundedPools.WRITER) Pool pool,
      CommitSpans commitSpans,
      ObjectMapper json,
      Notifications notifications,
      StoreConfig config) {
    this.pool = pool;
    this.commitSpans = commitSpans;
    this.json = json;
    this.notifications = notifications;
    WriterTimeouts timeouts = WriterTimeouts.of(config.commitTimeout());
    this.setTimeouts = timeouts.setLocal(false);
    this.setTimeoutsAfterLockTimeout = timeouts.setLocal(true);
  }

  /**
   * Writes the batch in one transaction; {@code attempt} counts server-side retries from 1, {@code
   * afterLockTimeout} shortens the lock wait of a part split off after a lock timeout.
   */
  @Override
  public Uni<List<StartOutcome>> write(
      List<StartCommand> batch, int attempt, boolean afterLockTimeout) {
    CommitSpans.Commit spans = commitSpans.start(batch, attempt);
    String setLocal = afterLockTimeout ? setTimeoutsAfterLockTimeout : setTimeouts;
    return pool.withTransaction(
            conn -> conn.query(setLocal).execute().flatMap(set -> insertAndResolve(conn, batch)))
        .onItem()
        .invoke(
            outcomes -> {
              spans.end(null);
              wakeMasters(outcomes);
            })
        .onFailure()
        .invoke(
            failure -> {
              spans.recordException(failure);
              spans.end(failure.getClass().getSimpleName());
            })
        .onCancellation()
        .invoke(() -> spans.end("cancelled: no commit confirmation in time"))
        .onFailure()
        .transform(StoreFailures::classify);
  }

  private Uni<List<StartOutcome>> insertAndResolve(SqlConnection conn, List<StartCommand> batch) {
    return conn.preparedQuery(INSERT)
        .execute(insertParams(batch))
        .flatMap(
            inserted -> {
              Map<UUID, Row> byRequest = new HashMap<>();
              inserted.forEach(row -> byRequest.put(InstanceRow.of(row).requestId(), row));
              if (byRequest.size() == batch.size()) {
                return Uni.createFrom().item(created(batch, byRequest));
              }
              return conn.preparedQuery(RESOLVE)
                  .execute(resolveParams(batch))
                  .map(existing -> resolve(batch, byRequest, existing));
            });
  }

  // after the commit, and only when the batch created an instance (a replay adds no work)
  private void wakeMasters(List<StartOutcome> outcomes) {
    for (StartOutcome outcome : outcomes) {
      if (outcome.kind() == StartOutcome.Kind.CREATED) {
        notifications.publish(Notifications.INSTANCES);
        return;
      }
    }
  }

  private List<StartOutcome> created(List<StartCommand> batch, Map<UUID, Row> byRequest) {
    List<StartOutcome> outcomes = new ArrayList<>(batch.size());
    for (StartCommand command : batch) {
      Row row = byRequest.get(command.requestId());
      outcomes.add(StartOutcome.created(summaryOf(command, row)));
    }
    return outcomes;
  }

  private List<StartOutcome> resolve(
      List<StartCommand> batch, Map<UUID, Row> inserted, RowSet<Row> existing) {
    Map<String, Row> byKey = new HashMap<>();
    existing.forEach(
        row -> {
          InstanceRow r = InstanceRow.of(row);
          byKey.put(key(r.projectCode(), r.idempotencyKey()), row);
        });
    List<StartOutcome> outcomes = new ArrayList<>(batch.size());
    for (StartCommand command : batch) {
      Row own = inserted.get(command.requestId());
      if (own != null) {
        outcomes.add(StartOutcome.created(summaryOf(command, own)));
        continue;
      }
      Row row = byKey.get(key(command.projectCode(), command.idempotencyKey()));
      outcomes.add(InstanceRows.resolveExisting(command, row));
    }
    return outcomes;
  }

  private static InstanceSummary summaryOf(StartCommand command, Row row) {
    return InstanceRow.of(row).insertedBy(command);
  }

  private static String key(long projectCode, String idempotencyKey) {
    return projectCode + "/" + idempotencyKey;
  }

  private Tuple insertParams(List<StartCommand> batch) {
    int n = batch.size();
    UUID[] requestIds = new UUID[n];
    Long[] projects = new Long[n];
    Long[] workflows = new Long[n];
    Integer[] versions = new Integer[n];
    String[] keys = new String[n];
    Boolean[] generated = new Boolean[n];
    String[] fingerprints = new String[n];
    String[] params = new String[n];
    String[] priorities = new String[n];
    String[] strategies = new String[n];
    String[] scheduleTimes = new String[n];
    String[] workerGroups = new String[n];
    Boolean[] dryRuns = new Boolean[n];
    String[] traceParents = new String[n];
    String[] traceStates = new String[n];
    for (int i = 0; i < n; i++) {
      StartCommand c = batch.get(i);
      requestIds[i] = c.requestId();
      projects[i] = c.projectCode();
      workflows[i] = c.workflowCode();
      versions[i] = c.workflowVersion();
      keys[i] = c.idempotencyKey();
      generated[i] = c.keyGenerated();
      fingerprints[i] = c.fingerprint();
      params[i] = toJson(c.params());
      priorities[i] = c.priority().name();
      strategies[i] = c.failureStrategy().name();
      scheduleTimes[i] = c.scheduleTime() == null ? null : c.scheduleTime().toString();
      workerGroups[i] = c.workerGroup();
      dryRuns[i] = c.dryRun();
      traceParents[i] = c.traceParent();
      traceStates[i] = c.traceState();
    }
    return Tuple.from(
        List.of(
            requestIds,
            projects,
            workflows,
            versions,
            keys,
            generated,
            fingerprints,
            params,
            priorities,
            strategies,
            scheduleTimes,
            workerGroups,
            dryRuns,
            traceParents,
            traceStates));
  }

  private static Tuple resolveParams(List<StartCommand> batch) {
    Long[] projects = new Long[batch.size()];
    String[] keys = new String[batch.size()];
    for (int i = 0; i < batch.size(); i++) {
      projects[i] = batch.get(i).projectCode();
      keys[i] = batch.get(i).idempotencyKey();
    }
    return Tuple.of(projects, keys);
  }

  private String toJson(Map<String, String> params) {
    try {
      return json.writeValueAsString(params);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
