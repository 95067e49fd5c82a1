package io.flowgate.retention;

import io.flowgate.store.InstanceRow;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The SQL of retention. Every statement runs on the caller's connection, inside the transaction of
 * one batch; the horizon of a project is {@code now() - retention}, its own retention or the
 * default.
 */
@ApplicationScoped
public class RetentionStore {

  /** Advisory lock key that keeps removal to one replica at a time ("FlowRet1"). */
  static final long LOCK_KEY = 0x466c6f7752657431L;

  private static final String FINAL = "('SUCCESS', 'FAILURE', 'STOPPED')";
  private static final String HORIZON =
      "now() - coalesce(make_interval(days => p.retention_days), $1::bigint * interval '1 second')";

  // per project, its oldest finished instances past its horizon; rows the engine holds are skipped
  private static final String DOOMED =
      "select d.id from project p cross join lateral ("
          + " select w.id from workflow_instance w"
          + " where w.project_code = p.code and w.state in "
          + FINAL
          + " and w.ended_at < "
          + HORIZON
          + " order by w.ended_at limit $2 for update of w skip locked) d"
          + " limit $2";

  private static final String EXPORT =
      "select i.id, i.project_code, to_char(i.ended_at at time zone 'UTC', 'YYYY-MM-DD') as period,"
          + " jsonb_build_object('instance', to_jsonb(i),"
          + " 'tasks', (select coalesce(jsonb_agg(to_jsonb(t) order by t.id), '[]')"
          + " from task_instance t where t.instance_id = i.id),"
          + " 'transitions', (select coalesce(jsonb_agg(to_jsonb(h) order by h.id), '[]')"
          + " from instance_transition h where h.instance_id = i.id))::text as line"
          + " from workflow_instance i where i.id = any($1) order by i.project_code, i.ended_at, i.id";

  // children first: the foreign keys are checked at the end of the statement
  private static final String DELETE =
      "with t as (delete from task_instance where instance_id = any($1) returning 1),"
          + " h as (delete from instance_transition where instance_id = any($1) returning 1),"
          + " i as (delete from workflow_instance where id = any($1) and state in "
          + FINAL
          + " returning 1)"
          + " select (select count(*) from i) as instances, (select count(*) from t) as tasks,"
          + " (select count(*) from h) as transitions";

  // how far the oldest finished instance of any project is behind its horizon
  private static final String LAG =
      "select coalesce(max(extract(epoch from "
          + HORIZON
          + " - o.ended_at)), 0) as lag from project p cross join lateral ("
          + " select w.ended_at from workflow_instance w where w.project_code = p.code"
          + " and w.state in "
          + FINAL
          + " and w.ended_at < "
          + HORIZON
          + " order by w.ended_at limit 1) o";

  /** One instance as an archive line, with the project and day it belongs to. */
  public record ArchiveLine(long instanceId, long projectCode, String period, String json) {}

  /** Rows one batch removed. */
  public record Removed(long instances, long tasks, long transitions) {}

  /** Takes the removal lock for this transaction; false when another replica holds it. */
  public Uni<Boolean> tryLock(SqlConnection conn, Duration statementTimeout) {
    return conn.query("set local statement_timeout = " + Math.max(1, statementTimeout.toMillis()))
        .execute()
        .flatMap(
            ignored ->
                conn.preparedQuery("select pg_try_advisory_xact_lock($1) as locked")
                    .execute(Tuple.of(LOCK_KEY)))
        .map(rows -> rows.iterator().next().getBoolean("locked"));
  }

  /** Locks and returns up to {@code limit} ids of finished instances past their horizon. */
  public Uni<Long[]> doomed(SqlConnection conn, Duration defaultPeriod, int limit) {
    return conn.preparedQuery(DOOMED)
        .execute(Tuple.of(defaultPeriod.toSeconds(), limit))
        .map(
            rows -> {
              List<Long> ids = new ArrayList<>();
              rows.forEach(row -> ids.add(InstanceRow.of(row).id()));
              return ids.toArray(Long[]::new);
            });
  }

  public Uni<List<ArchiveLine>> export(SqlConnection conn, Long[] ids) {
    return conn.preparedQuery(EXPORT)
        .execute(Tuple.tuple().addArrayOfLong(ids))
        .map(
            rows -> {
              List<ArchiveLine> lines = new ArrayList<>();
              rows.forEach(row -> lines.add(line(row)));
              return lines;
            });
  }

  public Uni<Removed> delete(SqlConnection conn, Long[] ids) {
    return conn.preparedQuery(DELETE)
        .execute(Tuple.tuple().addArrayOfLong(ids))
        .map(
            rows -> {
              Row row = rows.iterator().next();
              return new Removed(
                  row.getLong("instances"), row.getLong("tasks"), row.getLong("transitions"));
            });
  }

  /** Seconds the oldest removable instance is behind its horizon; 0 when none is. */
  public Uni<Double> lag(SqlConnection conn, Duration defaultPeriod) {
    return conn.preparedQuery(LAG)
        .execute(Tuple.of(defaultPeriod.toSeconds()))
        .map(rows -> rows.iterator().next().getNumeric("lag").doubleValue());
  }

  // period and line are computed by the query; the instance's own columns through its mapper
  private static ArchiveLine line(Row row) {
    InstanceRow instance = InstanceRow.of(row);
    return new ArchiveLine(
        instance.id(), instance.projectCode(), row.getString("period"), row.getString("line"));
  }
}
