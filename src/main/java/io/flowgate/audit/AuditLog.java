package io.flowgate.audit;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * The audit trail of definition and token changes. An event is appended on the connection of the
 * change it records, so both commit or neither does; events are read oldest first by id.
 */
@ApplicationScoped
public class AuditLog {

  public static final String PROJECT_CREATE = "project.create";
  public static final String PROJECT_RETENTION = "project.retention";
  public static final String WORKFLOW_CREATE = "workflow.create";
  public static final String WORKFLOW_RELEASE = "workflow.release";
  public static final String WORKFLOW_OFFLINE = "workflow.offline";
  public static final String TOKEN_CREATE = "token.create";
  public static final String TOKEN_REVOKE = "token.revoke";

  private static final String INSERT =
      "insert into audit_event (actor, action, subject, detail) values ($1, $2, $3, $4)";
  private static final String PAGE =
      "select id, at, actor, action, subject, detail from audit_event"
          + " where id > $1 order by id limit $2";

  private final Pool pool;

  public AuditLog(Pool pool) {
    this.pool = pool;
  }

  /** Appends an event inside the caller's transaction. */
  public Uni<Void> append(
      SqlConnection conn, String actor, String action, String subject, JsonObject detail) {
    return conn.preparedQuery(INSERT)
        .execute(Tuple.of(actor, action, subject, detail))
        .replaceWithVoid();
  }

  /** Up to {@code limit} events with an id above {@code after}, oldest first. */
  public Uni<List<AuditEvent>> after(long after, int limit) {
    return pool.preparedQuery(PAGE)
        .execute(Tuple.of(after, limit))
        .map(rows -> rows.stream().map(AuditLog::event).toList());
  }

  private static AuditEvent event(Row row) {
    return new AuditEvent(
        row.getLong("id"),
        row.getOffsetDateTime("at"),
        row.getString("actor"),
        row.getString("action"),
        row.getString("subject"),
        ((JsonObject) row.getValue("detail")).getMap());
  }
}
