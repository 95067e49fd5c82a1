package io.flowgate.api.security;

import io.flowgate.config.SecurityConfig;
import io.flowgate.observability.ErrorCode;
import io.flowgate.observability.FlowgateException;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * API tokens: {@code fgt_<id>_<secret>}, stored as a salted SHA-256 of the secret, compared in
 * constant time, with expiry, revocation and a last-used time. Verified tokens are trusted for
 * {@code flowgate.auth.cache-ttl} before the store is asked again.
 */
@ApplicationScoped
public class TokenService {

  private static final String PREFIX = "fgt_";
  private static final int MAX_CACHED = 10_000;
  private static final SecureRandom RANDOM = new SecureRandom();

  private record Cached(Caller caller, long verifiedAtNanos) {}

  /** A created token; the secret is shown once and never stored. */
  public record Created(
      long id,
      String name,
      String secret,
      boolean admin,
      List<Long> projects,
      List<String> scopes,
      OffsetDateTime expiresAt,
      OffsetDateTime createdAt) {}

  private final Pool pool;
  private final Optional<byte[]> adminDigest;
  private final long cacheTtlNanos;
  private final Map<String, Cached> cache = new ConcurrentHashMap<>();

  public TokenService(Pool pool, SecurityConfig config) {
    this.pool = pool;
    this.adminDigest =
        config
            .adminToken()
            .filter(t -> !t.isBlank())
            .map(t -> sha256(t.getBytes(StandardCharsets.UTF_8)));
    this.cacheTtlNanos = config.tokenCacheTtl().toNanos();
  }

  /** The caller a presented token stands for, or null when it is unknown, expired or revoked. */
  public Uni<Caller> authenticate(String token) {
    if (token == null || token.isEmpty() || token.length() > 256) {
      return Uni.createFrom().nullItem();
    }
    byte[] digest = sha256(token.getBytes(StandardCharsets.UTF_8));
    if (adminDigest.isPresent() && MessageDigest.isEqual(adminDigest.get(), digest)) {
      return Uni.createFrom().item(new Caller("admin", true, Set.of(), Set.of()));
    }
    String cacheKey = HexFormat.of().formatHex(digest);
    Cached cached = cache.get(cacheKey);
    if (cached != null && System.nanoTime() - cached.verifiedAtNanos < cacheTtlNanos) {
      return Uni.createFrom().item(cached.caller);
    }
    return verify(token)
        .invoke(
            caller -> {
              if (cache.size() > MAX_CACHED) {
                cache.clear();
              }
              if (caller != null) {
                cache.put(cacheKey, new Cached(caller, System.nanoTime()));
              } else {
                cache.remove(cacheKey);
              }
            });
  }

  private Uni<Caller> verify(String token) {
    String[] parts = token.split("_", 3);
    if (parts.length != 3 || !token.startsWith(PREFIX) || !parts[1].matches("[0-9]{1,19}")) {
      return Uni.createFrom().nullItem();
    }
    long id = Long.parseLong(parts[1]);
    byte[] secret = parts[2].getBytes(StandardCharsets.UTF_8);
    return pool.preparedQuery(
            "update api_token set last_used_at = now() where id = $1 and revoked_at is null"
                + " and (expires_at is null or expires_at > now())"
                + " returning name, salt, secret_hash, admin, project_codes, scopes")
        .execute(Tuple.of(id))
        .map(rows -> rows.size() == 0 ? null : callerIfMatches(rows.iterator().next(), secret));
  }

  private static Caller callerIfMatches(Row row, byte[] secret) {
    byte[] salt = row.getBuffer("salt").getBytes();
    byte[] expected = row.getBuffer("secret_hash").getBytes();
    if (!MessageDigest.isEqual(expected, saltedHash(salt, secret))) {
      return null;
    }
    Set<Long> projects =
        Arrays.stream(row.getArrayOfLongs("project_codes")).collect(Collectors.toSet());
    Set<String> scopes = Set.of(row.getArrayOfStrings("scopes"));
    return new Caller("token:" + row.getString("name"), row.getBoolean("admin"), projects, scopes);
  }

  /** Creates a token and returns its secret, once. */
  public Uni<Created> create(
      String name,
      boolean admin,
      List<Long> projects,
      List<String> scopes,
      OffsetDateTime expiresAt,
      String actor) {
    byte[] salt = new byte[16];
    byte[] secret = new byte[32];
    RANDOM.nextBytes(salt);
    RANDOM.nextBytes(secret);
    String secretText = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    byte[] hash = saltedHash(salt, secretText.getBytes(StandardCharsets.UTF_8));
    Tuple params =
        Tuple.tuple()
            .addString(name)
            .addBuffer(io.vertx.mutiny.core.buffer.Buffer.buffer(salt))
            .addBuffer(io.vertx.mutiny.core.buffer.Buffer.buffer(hash))
            .addBoolean(admin)
            .addArrayOfLong(projects.toArray(Long[]::new))
            .addArrayOfString(scopes.toArray(String[]::new))
            .addOffsetDateTime(expiresAt);
    return pool.withTransaction(
        conn ->
            conn.preparedQuery(
                    "insert into api_token (name, salt, secret_hash, admin, project_codes, scopes, expires_at)"
                        + " values ($1, $2, $3, $4, $5, $6, $7) returning id, created_at")
                .execute(params)
                .map(rows -> rows.iterator().next())
                .call(
                    row ->
                        conn.preparedQuery(
                                "insert into audit_event (actor, action, subject, detail) values ($1, $2, $3, $4)")
                            .execute(
                                Tuple.of(
                                    actor,
                                    "token.create",
                                    "token:" + row.getLong("id"),
                                    new JsonObject()
                                        .put("name", name)
                                        .put("admin", admin)
                                        .put("projects", projects)
                                        .put("scopes", scopes))))
                .map(
                    row ->
                        new Created(
                            row.getLong("id"),
                            name,
                            PREFIX + row.getLong("id") + "_" + secretText,
                            admin,
                            projects,
                            scopes,
                            expiresAt,
                            row.getOffsetDateTime("created_at"))));
  }

  /** Revokes a token; false when no such active token exists. */
  public Uni<Boolean> revoke(long id, String actor) {
    return pool.withTransaction(
            conn ->
                conn.preparedQuery(
                        "update api_token set revoked_at = now() where id = $1 and revoked_at is null returning id")
                    .execute(Tuple.of(id))
                    .call(
                        rows ->
                            rows.size() == 0
                                ? Uni.createFrom().voidItem()
                                : conn.preparedQuery(
                                        "insert into audit_event (actor, action, subject) values ($1, $2, $3)")
                                    .execute(Tuple.of(actor, "token.revoke", "token:" + id))))
        .map(rows -> rows.size() > 0)
        .invoke(revoked -> cache.clear());
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

  static FlowgateException unauthenticated() {
    return new FlowgateException(ErrorCode.UNAUTHENTICATED, "a valid token is required");
  }
}
