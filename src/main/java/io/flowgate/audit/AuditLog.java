package io.flowgate.audit;

import io.flowgate.persistence.SafeContexts;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;

/**
 * The audit trail of definition and token changes. An event is appended in the transaction of the
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

  private final AuditEventRepository events;
  private final SafeContexts contexts;

  public AuditLog(AuditEventRepository events, SafeContexts contexts) {
    this.events = events;
    this.contexts = contexts;
  }

  /** Appends an event inside the caller's Vert.x SQL client transaction. */
  public Uni<Void> append(
      SqlConnection conn, String actor, String action, String subject, JsonObject detail) {
    return conn.preparedQuery(INSERT)
        .execute(Tuple.of(actor, action, subject, detail))
        .replaceWithVoid();
  }

  /** Appends an event inside the caller's Hibernate Reactive (Panache) transaction. */
  public Uni<Void> append(String actor, String action, String subject, Map<String, Object> detail) {
    AuditEventEntity event = new AuditEventEntity();
    event.actor = actor;
    event.action = action;
    event.subject = subject;
    event.detail = detail;
    return events.persist(event).replaceWithVoid();
  }

  /** Up to {@code limit} events with an id above {@code after}, oldest first. */
  public Uni<List<AuditEvent>> after(long after, int limit) {
    return contexts.run(
        () ->
            Panache.withSession(
                () ->
                    events
                        .find("id > ?1", Sort.by("id"), after)
                        .range(0, limit - 1)
                        .list()
                        .map(rows -> rows.stream().map(AuditEventEntity::event).toList())));
  }
}
