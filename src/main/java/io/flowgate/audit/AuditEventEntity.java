package io.flowgate.audit;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.Map;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** The audit_event row (V1); its id is the table's identity column. */
@Entity
@Table(name = "audit_event")
public class AuditEventEntity {

  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  @Column(name = "id", columnDefinition = "bigint")
  public Long id;

  @Column(name = "actor", columnDefinition = "text", nullable = false)
  public String actor;

  @Column(name = "action", columnDefinition = "text", nullable = false)
  public String action;

  @Column(name = "subject", columnDefinition = "text", nullable = false)
  public String subject;

  @JdbcTypeCode(SqlTypes.JSON)
  @Column(name = "detail", columnDefinition = "jsonb", nullable = false)
  public Map<String, Object> detail;

  // the database's clock, as for every other audited change
  @Column(
      name = "at",
      columnDefinition = "timestamptz",
      nullable = false,
      insertable = false,
      updatable = false)
  public OffsetDateTime at;

  AuditEvent event() {
    return new AuditEvent(id, at, actor, action, subject, detail);
  }
}
