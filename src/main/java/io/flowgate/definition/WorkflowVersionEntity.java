package io.flowgate.definition;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.OffsetDateTime;
import java.util.Map;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** One stored version of a workflow's DAG and global params (V1), keyed by code and version. */
@Entity
@Table(name = "workflow_version")
@IdClass(WorkflowVersionEntity.Key.class)
public class WorkflowVersionEntity {

  @Id
  @Column(name = "workflow_code", columnDefinition = "bigint")
  public long workflowCode;

  @Id
  @Column(name = "version", columnDefinition = "integer")
  public int version;

  @JdbcTypeCode(SqlTypes.JSON)
  @Column(name = "dag", columnDefinition = "jsonb", nullable = false)
  public Map<String, Object> dag;

  @JdbcTypeCode(SqlTypes.JSON)
  @Column(name = "global_params", columnDefinition = "jsonb", nullable = false)
  public Map<String, String> globalParams;

  @Column(
      name = "created_at",
      columnDefinition = "timestamptz",
      nullable = false,
      insertable = false,
      updatable = false)
  public OffsetDateTime createdAt;

  /** The composite primary key. */
  public static class Key implements Serializable {
    private static final long serialVersionUID = 1L;

    public long workflowCode;
    public int version;

    @Override
    public boolean equals(Object other) {
      return other instanceof Key k && k.workflowCode == workflowCode && k.version == version;
    }

    @Override
    public int hashCode() {
      return Long.hashCode(workflowCode) * 31 + version;
    }
  }
}
