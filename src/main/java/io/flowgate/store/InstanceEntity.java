package io.flowgate.store;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** The instance row as Hibernate Reactive maps it, used by the per-request write mode only. */
@Entity
@Table(name = "workflow_instance")
public class InstanceEntity extends PanacheEntityBase {

  @Id
  @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "instance_ids")
  @SequenceGenerator(
      name = "instance_ids",
      sequenceName = "workflow_instance_id_seq",
      allocationSize = 1)
  public Long id;

  @Column(name = "project_code", nullable = false)
  public long projectCode;

  @Column(name = "workflow_code", nullable = false)
  public long workflowCode;

  @Column(name = "workflow_version", nullable = false)
  public int workflowVersion;

  @Column(nullable = false, columnDefinition = "text")
  public String state;

  @Column(nullable = false, columnDefinition = "text")
  public String priority;

  @Column(name = "failure_strategy", nullable = false, columnDefinition = "text")
  public String failureStrategy;

  @JdbcTypeCode(SqlTypes.JSON)
  @Column(nullable = false)
  public Map<String, String> params;

  @Column(name = "schedule_time")
  public OffsetDateTime scheduleTime;

  @Column(name = "worker_group", columnDefinition = "text")
  public String workerGroup;

  @Column(name = "dry_run", nullable = false)
  public boolean dryRun;

  @Column(name = "idempotency_key", nullable = false, columnDefinition = "text")
  public String idempotencyKey;

  @Column(name = "key_generated", nullable = false)
  public boolean keyGenerated;

  @Column(name = "request_id", nullable = false)
  public UUID requestId;

  @Column(name = "request_fingerprint", nullable = false, columnDefinition = "text")
  public String requestFingerprint;

  @Column(name = "trace_parent", columnDefinition = "text")
  public String traceParent;

  @Column(name = "trace_state", columnDefinition = "text")
  public String traceState;

  @Column(name = "created_at", nullable = false)
  public OffsetDateTime createdAt;

  @Column(name = "updated_at", nullable = false)
  public OffsetDateTime updatedAt;

  static InstanceEntity of(StartCommand c) {
    InstanceEntity e = new InstanceEntity();
    e.projectCode = c.projectCode();
    e.workflowCode = c.workflowCode();
    e.workflowVersion = c.workflowVersion();
    e.state = "SUBMITTED";
    e.priority = c.priority().name();
    e.failureStrategy = c.failureStrategy().name();
    e.params = c.params();
    e.scheduleTime = c.scheduleTime();
    e.workerGroup = c.workerGroup();
    e.dryRun = c.dryRun();
    e.idempotencyKey = c.idempotencyKey();
    e.keyGenerated = c.keyGenerated();
    e.requestId = c.requestId();
    e.requestFingerprint = c.fingerprint();
    e.traceParent = c.traceParent();
    e.traceState = c.traceState();
    e.createdAt = OffsetDateTime.now();
    e.updatedAt = e.createdAt;
    return e;
  }

  InstanceSummary summary() {
    return new InstanceSummary(
        id,
        projectCode,
        workflowCode,
        workflowVersion,
        state,
        idempotencyKey,
        TraceParents.traceId(traceParent),
        createdAt);
  }
}
