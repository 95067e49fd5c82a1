package io.flowgate.definition;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import org.hibernate.annotations.DynamicUpdate;

/** The project row (V1, retention_days from V6). The code is assigned, never generated here. */
// only the changed columns: an update never rewrites the unique name
@Entity
@DynamicUpdate
@Table(name = "project")
public class ProjectEntity {

  @Id
  @Column(name = "code", columnDefinition = "bigint")
  public Long code;

  @Column(name = "name", columnDefinition = "text", nullable = false)
  public String name;

  @Column(name = "description", columnDefinition = "text")
  public String description;

  @Column(name = "retention_days", columnDefinition = "integer")
  public Integer retentionDays;

  @Column(
      name = "created_at",
      columnDefinition = "timestamptz",
      nullable = false,
      insertable = false,
      updatable = false)
  public OffsetDateTime createdAt;

  Project project() {
    return new Project(code, name, description, createdAt);
  }
}
