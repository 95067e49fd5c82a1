package io.flowgate.definition;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowgate.audit.AuditLog;
import io.flowgate.problem.ErrorCode;
import io.flowgate.problem.FlowgateException;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * Projects and workflow definitions in PostgreSQL. Every change is audited in its own transaction,
 * with the actor who asked for it.
 */
@ApplicationScoped
public class DefinitionRepository {

  private static final String WORKFLOW_COLUMNS =
      "w.code, w.project_code, w.name, w.description, w.latest_version, w.release_state,"
          + " w.created_at, w.updated_at, v.dag, v.global_params";
  private static final String WORKFLOW_FROM =
      " from workflow w join workflow_version v"
          + " on v.workflow_code = w.code and v.version = w.latest_version";

  private final Pool pool;
  private final ObjectMapper json;
  private final AuditLog audit;

  public DefinitionRepository(Pool pool, ObjectMapper json, AuditLog audit) {
    this.pool = pool;
    this.json = json;
    this.audit = audit;
  }

  public Uni<Project> createProject(String name, String description, String actor) {
    return createProject(null, name, description, actor);
  }

  /** Creates a project with the given code, or a generated one when {@code code} is null. */
  public Uni<Project> createProject(Long code, String name, String description, String actor) {
    return pool.withTransaction(
            conn ->
                conn.preparedQuery(
                        "insert into project (code, name, description)"
                            + " values (coalesce($3, nextval('flowgate_code_seq')), $1, $2)"
                            + " returning code, name, description, created_at")
                    .execute(Tuple.of(name, description, code))
                    .call(p -> keepSequenceAhead(conn, code))
                    .map(rows -> project(rows.iterator().next()))
                    .call(
                        p ->
                            audit.append(
                                conn,
                                actor,
                                AuditLog.PROJECT_CREATE,
                                "project:" + p.code(),
                                new JsonObject().put("name", name))))
        .onFailure(DefinitionRepository::uniqueViolation)
        .transform(
            f ->
                codeTaken(f)
                    ? new FlowgateException(
                        ErrorCode.CODE_TAKEN, "project code " + code + " is taken")
                    : new FlowgateException(
                        ErrorCode.NAME_TAKEN, "project name '" + name + "' is taken"));
  }

  public Uni<Project> project(long code) {
    return pool.preparedQuery(
            "select code, name, description, created_at from project where code = $1")
        .execute(Tuple.of(code))
        .map(rows -> rows.size() == 0 ? null : project(rows.iterator().next()));
  }

  /** The project, or a failure with 404 PROJECT_NOT_FOUND. */
  public Uni<Project> existingProject(long code) {
    return project(code)
        .map(
            p -> {
              if (p == null) {
                throw new FlowgateException(
                    ErrorCode.PROJECT_NOT_FOUND, "project " + code + " not found");
              }
              return p;
            });
  }

  /**
   * The project's own retention in days (null: the configured default), or a failure with 404
   * PROJECT_NOT_FOUND.
   */
  public Uni<Integer> retentionDays(long code) {
    return pool.preparedQuery("select retention_days from project where code = $1")
        .execute(Tuple.of(code))
        .map(
            rows -> {
              if (rows.size() == 0) {
                throw new FlowgateException(
                    ErrorCode.PROJECT_NOT_FOUND, "project " + code + " not found");
              }
              return rows.iterator().next().getInteger("retention_days");
            });
  }

  /**
   * Sets the project's retention (null: back to the configured default) and audits it with the
   * value it had before; fails with 404 PROJECT_NOT_FOUND when there is no such project.
   */
  public Uni<Integer> setRetentionDays(long code, Integer days, String actor) {
    return pool.withTransaction(
        conn ->
            conn.preparedQuery(
                    "with old as (select code, retention_days from project where code = $1"
                        + " for no key update)"
                        + " update project p set retention_days = $2 from old"
                        + " where p.code = old.code"
                        + " returning old.retention_days as previous, p.retention_days")
                .execute(Tuple.of(code, days))
                .flatMap(
                    rows -> {
                      if (rows.size() == 0) {
                        throw new FlowgateException(
                            ErrorCode.PROJECT_NOT_FOUND, "project " + code + " not found");
                      }
                      Row row = rows.iterator().next();
                      return audit
                          .append(
                              conn,
                              actor,
                              AuditLog.PROJECT_RETENTION,
                              "project:" + code,
                              new JsonObject()
                                  .put("retentionDays", row.getInteger("retention_days"))
                                  .put("previous", row.getInteger("previous")))
                          .replaceWith(row.getInteger("retention_days"));
                    }));
  }

  public Uni<List<Project>> projects() {
    return pool.query(
            "select code, name, description, created_at from project order by code limit 1000")
        .execute()
        .map(rows -> rows.stream().map(DefinitionRepository::project).toList());
  }

  /**
   * Stores a validated definition as version 1 of a new workflow (OFFLINE until released). The
   * audit detail names the workflow but never copies its tasks or parameters, which may hold
   * credentials.
   */
  public Uni<Workflow> createWorkflow(long projectCode, WorkflowSpec spec, String actor) {
    String dag =
        toJson(
            Map.of(
                "tasks", spec.tasks(), "edges", spec.edges() == null ? List.of() : spec.edges()));
    String globals = toJson(spec.globalParams() == null ? Map.of() : spec.globalParams());
    return pool.withTransaction(
            conn ->
                conn.preparedQuery(
                        "insert into workflow (code, project_code, name, description)"
                            + " values (coalesce($4, nextval('flowgate_code_seq')), $1, $2, $3)"
                            + " returning code")
                    .execute(Tuple.of(projectCode, spec.name(), spec.description(), spec.code()))
                    .map(rows -> rows.iterator().next().getLong("code"))
                    .call(code -> keepSequenceAhead(conn, spec.code()))
                    .call(
                        code ->
                            conn.preparedQuery(
                                    "insert into workflow_version (workflow_code, version, dag, global_params)"
                                        + " values ($1, 1, $2::text::jsonb, $3::text::jsonb)")
                                .execute(Tuple.of(code, dag, globals)))
                    .call(
                        code ->
                            audit.append(
                                conn,
                                actor,
                                AuditLog.WORKFLOW_CREATE,
                                "workflow:" + code,
                                new JsonObject()
                                    .put("projectCode", projectCode)
                                    .put("name", spec.name())
                                    .put("version", 1)
                                    .put("tasks", spec.tasks().size()))))
        .onFailure(DefinitionRepository::uniqueViolation)
        .transform(
            f ->
                codeTaken(f)
                    ? new FlowgateException(
                        ErrorCode.CODE_TAKEN, "workflow code " + spec.code() + " is taken")
                    : new FlowgateException(
                        ErrorCode.NAME_TAKEN, "workflow name '" + spec.name() + "' is taken"))
        .flatMap(code -> workflow(projectCode, code));
  }

  public Uni<Workflow> workflow(long projectCode, long code) {
    return pool.preparedQuery(
            "select "
                + WORKFLOW_COLUMNS
                + WORKFLOW_FROM
                + " where w.project_code = $1 and w.code = $2")
        .execute(Tuple.of(projectCode, code))
        .map(rows -> rows.size() == 0 ? null : workflow(rows.iterator().next()));
  }

  public Uni<List<Workflow>> workflows(long projectCode) {
    return pool.preparedQuery(
            "select "
                + WORKFLOW_COLUMNS
                + WORKFLOW_FROM
                + " where w.project_code = $1 order by w.code limit 1000")
        .execute(Tuple.of(projectCode))
        .map(rows -> rows.stream().map(this::workflow).toList());
  }

  /**
   * Sets the release state and audits it, with the state it had before; null when the workflow does
   * not exist in this project.
   */
  public Uni<Workflow> release(long projectCode, long code, boolean online, String actor) {
    String state = online ? "ONLINE" : "OFFLINE";
    return pool.withTransaction(
            conn ->
                conn.preparedQuery(
                        "with old as (select code, release_state from workflow"
                            + " where project_code = $1 and code = $2 for no key update)"
                            + " update workflow w set release_state = $3, updated_at = now()"
                            + " from old where w.code = old.code"
                            + " returning old.release_state as previous, w.latest_version")
                    .execute(Tuple.of(projectCode, code, state))
                    .flatMap(
                        rows -> {
                          if (rows.size() == 0) {
                            return Uni.createFrom().item(false);
                          }
                          Row row = rows.iterator().next();
                          return audit
                              .append(
                                  conn,
                                  actor,
                                  online ? AuditLog.WORKFLOW_RELEASE : AuditLog.WORKFLOW_OFFLINE,
                                  "workflow:" + code,
                                  new JsonObject()
                                      .put("projectCode", projectCode)
                                      .put("version", row.getInteger("latest_version"))
                                      .put("previous", row.getString("previous")))
                              .replaceWith(true);
                        }))
        .flatMap(found -> found ? workflow(projectCode, code) : Uni.createFrom().nullItem());
  }

  private static Project project(Row row) {
    return new Project(
        row.getLong("code"),
        row.getString("name"),
        row.getString("description"),
        row.getOffsetDateTime("created_at"));
  }

  private Workflow workflow(Row row) {
    JsonObject dag = (JsonObject) row.getValue("dag");
    JsonObject globals = (JsonObject) row.getValue("global_params");
    WorkflowSpec definition;
    try {
      WorkflowSpec parsed = json.readValue(dag.encode(), WorkflowSpec.class);
      @SuppressWarnings("unchecked")
      Map<String, String> globalParams = json.readValue(globals.encode(), Map.class);
      definition =
          new WorkflowSpec(
              row.getString("name"),
              row.getString("description"),
              parsed.tasks(),
              parsed.edges(),
              globalParams,
              row.getLong("code"));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
    return new Workflow(
        row.getLong("code"),
        row.getLong("project_code"),
        row.getString("name"),
        row.getString("description"),
        row.getInteger("latest_version"),
        row.getString("release_state"),
        definition,
        row.getOffsetDateTime("created_at"),
        row.getOffsetDateTime("updated_at"));
  }

  private String toJson(Object value) {
    try {
      return json.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  // a chosen code (kept from DolphinScheduler) must never be generated later for another row
  private static Uni<Void> keepSequenceAhead(SqlConnection conn, Long chosen) {
    if (chosen == null) {
      return Uni.createFrom().voidItem();
    }
    return conn.preparedQuery(
            "select setval('flowgate_code_seq', greatest($1, (select last_value from"
                + " flowgate_code_seq)))")
        .execute(Tuple.of(chosen))
        .replaceWithVoid();
  }

  // the primary key (the code) rather than the unique name
  private static boolean codeTaken(Throwable failure) {
    return failure instanceof PgException pg
        && pg.getConstraint() != null
        && pg.getConstraint().endsWith("_pkey");
  }

  private static boolean uniqueViolation(Throwable failure) {
    return failure instanceof PgException pg && "23505".equals(pg.getSqlState());
  }
}
