package io.flowgate.api.security;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import org.hibernate.annotations.Generated;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * The {@code api_token} row (V1, V3), mapped column by column with the migration's types: the salt
 * and the secret's hash, never the secret.
 */
@Entity
@Table(name = "api_token")
public class TokenEntity {

  @Id
  @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "token_ids")
  @SequenceGenerator(name = "token_ids", sequenceName = "flowgate_code_seq", allocationSize = 1)
  public Long id;

  @Column(nullable = false, columnDefinition = "text")
  public String name;

  @Column(nullable = false, columnDefinition = "bytea")
  public byte[] salt;

  @Column(name = "secret_hash", nullable = false, columnDefinition = "bytea")
  public byte[] secretHash;

  @Column(nullable = false)
  public boolean admin;

  // PostgreSQL's own names for bigint[] and text[]: the schema check reads a column's type by that
  // name and compares it with the definition given here (Flyway owns the schema, so it is used for
  // nothing else)
  @JdbcTypeCode(SqlTypes.ARRAY)
  @Column(name = "project_codes", nullable = false, columnDefinition = "_int8")
  public Long[] projectCodes;

  @JdbcTypeCode(SqlTypes.ARRAY)
  @Column(nullable = false, columnDefinition = "_text")
  public String[] scopes;

  @Column(name = "rate_limit_per_second")
  public Integer rateLimitPerSecond;

  @Column(name = "rate_limit_burst")
  public Integer rateLimitBurst;

  @Column(name = "expires_at")
  public OffsetDateTime expiresAt;

  @Column(name = "revoked_at")
  public OffsetDateTime revokedAt;

  @Column(name = "last_used_at")
  public OffsetDateTime lastUsedAt;

  @Generated
  @Column(name = "created_at", nullable = false, insertable = false, updatable = false)
  public OffsetDateTime createdAt;

  /** The token's own rate limit, or null for the configured default. */
  Caller.RateLimit rateLimit() {
    return rateLimitPerSecond == null
        ? null
        : new Caller.RateLimit(rateLimitPerSecond, rateLimitBurst);
  }
}
