package io.flowgate.definition;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowgate.audit.AuditLog;
import io.flowgate.persistence.SafeContexts;
import io.flowgate.problem.ErrorCode;
import io.flowgate.problem.FlowgateException;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.hibernate.exception.ConstraintViolationException;

/**
 * Projects and workflow definitions through Hibernate Reactive. Every change is audited in its own
 * transaction, with the actor who asked for it.
 */
@ApplicationScoped
public class DefinitionRepository {

  private static final String UNIQUE_VIOLATION = "23505";
  private static final TypeReference<Map<String, Object>> JSON_OBJECT = new TypeReference<>() {};
  private static final String WORKFLOW_AT_LATEST =
      "select w, v from WorkflowEntity w, WorkflowVersionEntity v"
          + " where v.workflowCode = w.code and v.version = w.latestVersion"
          + " and w.projectCode = :project";

  private final ProjectRepository projects;
  private final WorkflowEntityRepository workflows;
  private final WorkflowVersionRepository versions;
  private final SafeContexts contexts;
  private final ObjectMapper json;
  private final AuditLog audit;

  public DefinitionRepository(
      ProjectRepository projects,
      WorkflowEntityRepository workflows,
      WorkflowVersionRepository versions,
      SafeContexts contexts,
      ObjectMapper json,
      AuditLog audit) {
    this.projects = projects;
    this.workflows = workflows;
    this.versions = versions;
    this.contexts = contexts;
    this.json = json;
    this.audit = audit;
  }

  public Uni<Project> createProject(String name, String description, String actor) {
    return createProject(null, name, description, actor);
  }

  /** Creates a project with the given code, or a generated one when {@code code} is null. */
  public Uni<Project> createProject(Long code, String name, String description, String actor) {
    return inTransaction(
            () ->
                codeFor(code)
                    .flatMap(
                        chosen -> {
                          ProjectEntity project = new ProjectEntity();
                          project.code = chosen;
                          project.name = name;
                          project.description = description;
                          return projects.persistAndFlush(project);
                        })
                    .call(project -> readCreatedAt(project))
                    .call(project -> keepSequenceAhead(code))
                    .call(
                        project ->
                            audit.append(
                                actor,
                                AuditLog.PROJECT_CREATE,
                                "project:" + project.code,
                                detail("name", name)))
                    .map(ProjectEntity::project))
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
    return inSession(() -> projects.findById(code)).map(p -> p == null ? null : p.project());
  }

  /** The project, or a failure with 404 PROJECT_NOT_FOUND. */
  public Uni<Project> existingProject(long code) {
    return project(code)
        .map(
            p -> {
              if (p == null) {
                throw projectNotFound(code);
              }
              return p;
            });
  }

  /**
   * The project's own retention in days (null: the configured default), or a failure with 404
   * PROJECT_NOT_FOUND.
   */
  public Uni<Integer> retentionDays(long code) {
    return inSession(() -> projects.findById(code))
        .map(
            p -> {
              if (p == null) {
                throw projectNotFound(code);
              }
              return p.retentionDays;
            });
  }

  /**
   * Sets the project's retention (null: back to the configured default) and audits it with the
   * value it had before; fails with 404 PROJECT_NOT_FOUND when there is no such project.
   */
  public Uni<Integer> setRetentionDays(long code, Integer days, String actor) {
    // FOR NO KEY UPDATE: concurrent instance inserts (their key-share check) are not blocked
    return inTransaction(
        () ->
            projects
                .findById(code, LockModeType.PESSIMISTIC_WRITE)
                .flatMap(
                    project -> {
                      if (project == null) {
                        throw projectNotFound(code);
                      }
                      Integer previous = project.retentionDays;
                      project.retentionDays = days;
                      Map<String, Object> detail = detail("retentionDays", days);
                      detail.put("previous", previous);
                      return projects
                          .flush()
                          .call(
                              () ->
                                  audit.append(
                                      actor, AuditLog.PROJECT_RETENTION, "project:" + code, detail))
                          .replaceWith(days);
                    }));
  }

  public Uni<List<Project>> projects() {
    return inSession(() -> projects.findAll(Sort.by("code")).range(0, 999).list())
        .map(rows -> rows.stream().map(ProjectEntity::project).toList());
  }

  /**
   * Stores a validated definition as version 1 of a new workflow (OFFLINE until released). The
   * audit detail names the workflow but never copies its tasks or parameters, which may hold
   * credentials.
   */
  public Uni<Workflow> createWorkflow(long projectCode, WorkflowSpec spec, String actor) {
    Map<String, Object> dag =
        json.convertValue(
            Map.of("tasks", spec.tasks(), "edges", spec.edges() == null ? List.of() : spec.edges()),
            JSON_OBJECT);
    Map<String, String> globals =
        spec.globalParams() == null ? Map.of() : new LinkedHashMap<>(spec.globalParams());
    return inTransaction(
            () ->
                codeFor(spec.code())
                    .flatMap(
                        code -> {
                          WorkflowEntity workflow = new WorkflowEntity();
                          workflow.code = code;
                          workflow.projectCode = projectCode;
                          workflow.name = spec.name();
                          workflow.description = spec.description();
                          workflow.latestVersion = 1;
                          workflow.releaseState = "OFFLINE";
                          return workflows.persistAndFlush(workflow);
                        })
                    .call(workflow -> keepSequenceAhead(spec.code()))
                    .call(
                        workflow -> {
                          WorkflowVersionEntity version = new WorkflowVersionEntity();
                          version.workflowCode = workflow.code;
                          version.version = 1;
                          version.dag = dag;
                          version.globalParams = globals;
                          return versions.persistAndFlush(version);
                        })
                    .call(
                        workflow -> {
                          Map<String, Object> detail = detail("projectCode", projectCode);
                          detail.put("name", spec.name());
                          detail.put("version", 1);
                          detail.put("tasks", spec.tasks().size());
                          return audit.append(
                              actor, AuditLog.WORKFLOW_CREATE, "workflow:" + workflow.code, detail);
                        })
                    .map(workflow -> workflow.code))
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
    return inSession(
            () ->
                Panache.getSession()
                    .flatMap(
                        s ->
                            s.createSelectionQuery(
                                    WORKFLOW_AT_LATEST + " and w.code = :code", Object[].class)
                                .setParameter("project", projectCode)
                                .setParameter("code", code)
                                .getResultList()))
        .map(rows -> rows.isEmpty() ? null : workflow(rows.get(0)));
  }

  public Uni<List<Workflow>> workflows(long projectCode) {
    return inSession(
            () ->
                Panache.getSession()
                    .flatMap(
                        s ->
                            s.createSelectionQuery(
                                    WORKFLOW_AT_LATEST + " order by w.code", Object[].class)
                                .setParameter("project", projectCode)
                                .setMaxResults(1000)
                                .getResultList()))
        .map(rows -> rows.stream().map(this::workflow).toList());
  }

  /**
   * Sets the release state and audits it, with the state it had before; null when the workflow does
   * not exist in this project.
   */
  public Uni<Workflow> release(long projectCode, long code, boolean online, String actor) {
    String state = online ? "ONLINE" : "OFFLINE";
    return inTransaction(
            () ->
                workflows
                    .findById(code, LockModeType.PESSIMISTIC_WRITE)
                    .flatMap(
                        workflow -> {
                          if (workflow == null || workflow.projectCode != projectCode) {
                            return Uni.createFrom().item(false);
                          }
                          Map<String, Object> detail = detail("projectCode", projectCode);
                          detail.put("version", workflow.latestVersion);
                          detail.put("previous", workflow.releaseState);
                          // updated_at from the database clock, like every other stored time
                          return workflows
                              .update(
                                  "releaseState = ?1, updatedAt = current_timestamp"
                                      + " where code = ?2",
                                  state,
                                  code)
                              .call(
                                  () ->
                                      audit.append(
                                          actor,
                                          online
                                              ? AuditLog.WORKFLOW_RELEASE
                                              : AuditLog.WORKFLOW_OFFLINE,
                                          "workflow:" + code,
                                          detail))
                              .replaceWith(true);
                        }))
        .flatMap(found -> found ? workflow(projectCode, code) : Uni.createFrom().nullItem());
  }

  private Workflow workflow(Object[] row) {
    WorkflowEntity w = (WorkflowEntity) row[0];
    WorkflowVersionEntity v = (WorkflowVersionEntity) row[1];
    WorkflowSpec parsed = json.convertValue(v.dag, WorkflowSpec.class);
    WorkflowSpec definition =
        new WorkflowSpec(
            w.name,
            w.description,
            parsed.tasks(),
            parsed.edges(),
            v.globalParams == null ? Map.of() : v.globalParams,
            w.code);
    return new Workflow(
        w.code,
        w.projectCode,
        w.name,
        w.description,
        w.latestVersion,
        w.releaseState,
        definition,
        w.createdAt,
        w.updatedAt);
  }

  private <T> Uni<T> inTransaction(Supplier<Uni<T>> work) {
    return contexts.run(() -> Panache.withTransaction(work));
  }

  private <T> Uni<T> inSession(Supplier<Uni<T>> work) {
    return contexts.run(() -> Panache.withSession(work));
  }

  // the generated code comes from the sequence the whole schema shares
  private static Uni<Long> codeFor(Long chosen) {
    if (chosen != null) {
      return Uni.createFrom().item(chosen);
    }
    return Panache.getSession()
        .flatMap(
            s ->
                s.createNativeQuery("select nextval('flowgate_code_seq')", Long.class)
                    .getSingleResult());
  }

  // the created_at the database gave the row (its default, the transaction's time)
  private static Uni<Void> readCreatedAt(ProjectEntity project) {
    return Panache.getSession()
        .flatMap(
            s ->
                s.createSelectionQuery(
                        "select p.createdAt from ProjectEntity p where p.code = :code",
                        java.time.OffsetDateTime.class)
                    .setParameter("code", project.code)
                    .getSingleResult())
        .invoke(at -> project.createdAt = at)
        .replaceWithVoid();
  }

  // a chosen code (kept from DolphinScheduler) must never be generated later for another row
  private static Uni<Void> keepSequenceAhead(Long chosen) {
    if (chosen == null) {
      return Uni.createFrom().voidItem();
    }
    return Panache.getSession()
        .flatMap(
            s ->
                s.createNativeQuery(
                        "select setval('flowgate_code_seq', greatest(?1, (select last_value from"
                            + " flowgate_code_seq)))",
                        Long.class)
                    .setParameter(1, chosen)
                    .getSingleResult())
        .replaceWithVoid();
  }

  private static Map<String, Object> detail(String key, Object value) {
    Map<String, Object> detail = new LinkedHashMap<>();
    detail.put(key, value);
    return detail;
  }

  private static FlowgateException projectNotFound(long code) {
    return new FlowgateException(ErrorCode.PROJECT_NOT_FOUND, "project " + code + " not found");
  }

  // the primary key (the code) rather than the unique name
  private static boolean codeTaken(Throwable failure) {
    String constraint = violation(failure);
    return constraint != null && constraint.endsWith("_pkey");
  }

  private static boolean uniqueViolation(Throwable failure) {
    return violation(failure) != null;
  }

  // the violated unique constraint's name ("" when unnamed), or null when it is another failure;
  // Hibernate reports the driver's failure as a ConstraintViolationException with the SQL state
  private static String violation(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof ConstraintViolationException c && UNIQUE_VIOLATION.equals(c.getSQLState())) {
        return c.getConstraintName() == null ? "" : c.getConstraintName();
      }
      if (t instanceof PgException pg && UNIQUE_VIOLATION.equals(pg.getSqlState())) {
        return pg.getConstraint() == null ? "" : pg.getConstraint();
      }
    }
    return null;
  }
}
