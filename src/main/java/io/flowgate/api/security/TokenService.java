package io.flowgate.api.security;

import io.flowgate.audit.AuditLog;
import io.flowgate.config.EngineConfig;
import io.flowgate.config.SecurityConfig;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.StreamSupport;

/**
 * API tokens: {@code fgt_<id>_<secret>}, stored as a salted SHA-256 of the secret, compared in
 * constant time, with expiry, revocation and a last-used time, persisted through {@link
 * TokenRepository}. Token rows are cached by id for {@code flowgate.auth.cache-ttl} ({@link
 * TokenRecords}); a revocation on this replica forgets its row at once.
 */
@ApplicationScoped
public class TokenService {

  private static final String PREFIX = "fgt_";
  private static final SecureRandom RANDOM = new SecureRandom();

  private static final Caller ADMIN = new Caller("admin", true, Set.of(), Set.of(), null);

  /** What a new token may do. {@code rateLimit} null means the configured default. */
  public record Grant(
      String name,
      boolean admin,
      List<Long> projects,
      List<String> scopes,
      OffsetDateTime expiresAt,
      Caller.RateLimit rateLimit) {}

  /** A created token; the secret is shown once and never stored. */
  public record Created(
      long id,
      String name,
      String secret,
      boolean admin,
      List<Long> projects,
      List<String> scopes,
      OffsetDateTime expiresAt,
      Caller.RateLimit rateLimit,
      OffsetDateTime createdAt) {}

  /** A token as listed: everything but the secret. */
  public record Listed(
      long id,
      String name,
      boolean admin,
      List<Long> projects,
      List<String> scopes,
      Caller.RateLimit rateLimit,
      OffsetDateTime createdAt,
      OffsetDateTime expiresAt,
      OffsetDateTime revokedAt,
      OffsetDateTime lastUsedAt) {}

  private final Pool pool;
  private final TokenRepository repository;
  private final Optional<byte[]> adminDigest;
  private final TokenRecords records;

  public TokenService(
      Pool pool, TokenRepository repository, TokenRecords records, SecurityConfig config) {
    this.pool = pool;
    this.repository = repository;
    this.records = records;
    this.adminDigest =
        config
            .adminToken()
            .filter(t -> !t.isBlank())
            .map(t -> sha256(t.getBytes(StandardCharsets.UTF_8)));
  }

  // a bootstrap without an admin token is legal (tokens may exist already) but surprising on a
  // first run: say once what it means
  void warnWithoutAdminToken(@Observes StartupEvent event, EngineConfig engine) {
    if (adminDigest.isEmpty() && engine.roles().contains(EngineConfig.Role.api)) {
      Log.warn(
          "FLOWGATE_ADMIN_TOKEN is not set: calls that need the admin (projects, workflows,"
              + " tokens, audit) answer 401 unless an admin token was created earlier");
    }
  }

  /** The caller a presented token stands for, or null when it is unknown, expired or revoked. */
  public Uni<Caller> authenticate(String token) {
    if (isAdmin(token)) {
      return Uni.createFrom().item(ADMIN);
    }
    Presented presented = Presented.parse(token);
    if (presented == null) {
      return Uni.createFrom().nullItem();
    }
    return records.get(presented.id()).flatMap(record -> verified(record, presented.secret()));
  }

  /** Whether checking {@code token} needs no store read on this replica. */
  public boolean answerableFromMemory(String token) {
    if (isAdmin(token)) {
      return true;
    }
    Presented presented = Presented.parse(token);
    return presented == null || records.cached(presented.id());
  }

  private boolean isAdmin(String token) {
    return token != null
        && adminDigest.isPresent()
        && MessageDigest.isEqual(adminDigest.get(), sha256(token.getBytes(StandardCharsets.UTF_8)));
  }

  private Uni<Caller> verified(Optional<TokenRecords.TokenRecord> stored, byte[] secret) {
    if (stored.isEmpty() || stored.get().expired()) {
      return Uni.createFrom().nullItem();
    }
    TokenRecords.TokenRecord record = stored.get();
    if (!MessageDigest.isEqual(record.secretHash(), saltedHash(record.salt(), secret))) {
      return Uni.createFrom().nullItem();
    }
    Caller caller = record.caller();
    // only a verified secret counts as a use, written once per cache period per replica
    return record.firstUseOfThisLoad()
        ? markUsed(record.id()).replaceWith(caller)
        : Uni.createFrom().item(caller);
  }

  /** A presented token split into its id and secret; null when it is not of the token form. */
  private record Presented(long id, byte[] secret) {
    static Presented parse(String token) {
      if (token == null || token.length() > 256 || !token.startsWith(PREFIX)) {
        return null;
      }
      String[] parts = token.split("_", 3);
      if (parts.length != 3 || !parts[1].matches("[0-9]{1,19}")) {
        return null;
      }
      try {
        return new Presented(Long.parseLong(parts[1]), parts[2].getBytes(StandardCharsets.UTF_8));
      } catch (NumberFormatException beyondLongRange) {
        return null;
      }
    }
  }

  private Uni<Void> markUsed(long id) {
    return repository.markUsed(id);
  }

  /** Tokens in id order after {@code afterId}, at most {@code limit}; secrets are never shown. */
  public Uni<List<Listed>> list(long afterId, int limit) {
    return repository
        .page(afterId, limit)
        .map(
            rows ->
                rows.stream()
                    .map(
                        row ->
                            new Listed(
                                row.id,
                                row.name,
                                row.admin,
                                Arrays.asList(row.projectCodes),
                                Arrays.asList(row.scopes),
                                row.rateLimit(),
                                row.createdAt,
                                row.expiresAt,
                                row.revokedAt,
                                row.lastUsedAt))
                    .toList());
  }

  /** The project codes among {@code codes} that do not exist. */
  public Uni<List<Long>> unknownProjects(List<Long> codes) {
    if (codes.isEmpty()) {
      return Uni.createFrom().item(List.of());
    }
    return pool.preparedQuery(
            "select c from unnest($1::bigint[]) as c"
                + " where not exists (select 1 from project p where p.code = c)")
        .execute(Tuple.of(codes.toArray(Long[]::new)))
        .map(
            rows ->
                StreamSupport.stream(rows.spliterator(), false).map(r -> r.getLong(0)).toList());
  }

  /** Creates a token and returns its secret, once; the creation is audited in its transaction. */
  public Uni<Created> create(Grant grant, String actor) {
    byte[] salt = new byte[16];
    byte[] secret = new byte[32];
    RANDOM.nextBytes(salt);
    RANDOM.nextBytes(secret);
    String secretText = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    TokenEntity token = new TokenEntity();
    token.name = grant.name();
    token.salt = salt;
    token.secretHash = saltedHash(salt, secretText.getBytes(StandardCharsets.UTF_8));
    token.admin = grant.admin();
    token.projectCodes = grant.projects().toArray(Long[]::new);
    token.scopes = grant.scopes().toArray(String[]::new);
    token.expiresAt = grant.expiresAt();
    token.rateLimitPerSecond = grant.rateLimit() == null ? null : grant.rateLimit().perSecond();
    token.rateLimitBurst = grant.rateLimit() == null ? null : grant.rateLimit().burst();
    return repository
        .create(token, actor, AuditLog.TOKEN_CREATE, auditDetail(grant))
        .map(
            row ->
                new Created(
                    row.id,
                    grant.name(),
                    PREFIX + row.id + "_" + secretText,
                    grant.admin(),
                    grant.projects(),
                    grant.scopes(),
                    grant.expiresAt(),
                    grant.rateLimit(),
                    row.createdAt))
        // an id probed before it existed must not stay refused on this replica
        .invoke(created -> records.invalidate(created.id()));
  }

  private static JsonObject auditDetail(Grant grant) {
    JsonObject detail =
        new JsonObject()
            .put("name", grant.name())
            .put("admin", grant.admin())
            .put("projects", grant.projects())
            .put("scopes", grant.scopes());
    if (grant.expiresAt() != null) {
      detail.put("expiresAt", grant.expiresAt().toString());
    }
    if (grant.rateLimit() != null) {
      detail.put(
          "rateLimit",
          new JsonObject()
              .put("perSecond", grant.rateLimit().perSecond())
              .put("burst", grant.rateLimit().burst()));
    }
    return detail;
  }

  /** Revokes a token; false when no such active token exists. */
  public Uni<Boolean> revoke(long id, String actor) {
    return repository
        .revoke(id, actor, AuditLog.TOKEN_REVOKE)
        .invoke(revoked -> records.invalidate(id));
  }

  private static byte[] saltedHash(byte[] salt, byte[] secret) {
    byte[] input = Arrays.copyOf(salt, salt.length + secret.length);
    System.arraycopy(secret, 0, input, salt.length, secret.length);
    return sha256(input);
  }

  private static byte[] sha256(byte[] input) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(input);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
