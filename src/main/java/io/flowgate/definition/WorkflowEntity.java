package io.flowgate.definition;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import org.hibernate.annotations.DynamicUpdate;

/** The workflow row (V1): its name, release state and the number of its latest version. */
// only the changed columns: an update never rewrites the unique name
@Entity
@DynamicUpdate
@Table(name = "workflow")
public class WorkflowEntity {

  @Id
  @Column(name = "code", columnDefinition = "bigint")
  public Long code;

  @Column(name = "project_code", columnDefinition = "bigint", nullable = false)
  public long projectCode;

  @Column(name = "name", columnDefinition = "text", nullable = false)
  public String name;

  @Column(name = "description", columnDefinition = "text")
  public String description;

  @Column(name = "latest_version", columnDefinition = "integer", nullable = false)
  public int latestVersion;

  @Column(name = "release_state", columnDefinition = "text", nullable = false)
  public String releaseState;

  @Column(
      name = "created_at",
      columnDefinition = "timestamptz",
      nullable = false,
      insertable = false,
      updatable = false)
  public OffsetDateTime createdAt;

  @Column(
      name = "updated_at",
      columnDefinition = "timestamptz",
      nullable = false,
      insertable = false,
      updatable = false)
  public OffsetDateTime updatedAt;
}
