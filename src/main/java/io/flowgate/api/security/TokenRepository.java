package io.flowgate.api.security;

import io.flowgate.audit.AuditLog;
import io.flowgate.persistence.SafeContexts;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;

/**
 * Token rows through Hibernate Reactive. Every call runs in a session of its own on a fresh Vert.x
 * context, so it works the same from a request, from a cache load shared by several requests, or
 * from a test thread; none of them blocks.
 */
@ApplicationScoped
public class TokenRepository implements PanacheRepositoryBase<TokenEntity, Long> {

  private final SafeContexts contexts;
  private final AuditLog audit;

  public TokenRepository(SafeContexts contexts, AuditLog audit) {
    this.contexts = contexts;
    this.audit = audit;
  }

  /** Token {@code id} when it is neither revoked nor expired, else null. */
  public Uni<TokenEntity> active(long id) {
    return contexts.run(
        () ->
            Panache.withSession(
                () ->
                    find(
                            "id = ?1 and revokedAt is null"
                                + " and (expiresAt is null or expiresAt > current_timestamp)",
                            id)
                        .firstResult()));
  }

  /** Records a verified use of token {@code id}. */
  public Uni<Void> markUsed(long id) {
    return contexts
        .run(
            () ->
                Panache.withTransaction(
                    () -> update("lastUsedAt = current_timestamp where id = ?1", id)))
        .replaceWithVoid();
  }

  /** Tokens in id order after {@code afterId}, at most {@code limit}. */
  public Uni<List<TokenEntity>> page(long afterId, int limit) {
    return contexts.run(
        () ->
            Panache.withSession(
                () -> find("id > ?1", Sort.by("id"), afterId).range(0, limit - 1).list()));
  }

  /** Inserts {@code token} and its audit event in one transaction (the event commits with it). */
  public Uni<TokenEntity> create(
      TokenEntity token, String actor, String action, JsonObject detail) {
    return contexts.run(
        () ->
            Panache.withTransaction(
                () ->
                    persistAndFlush(token)
                        .call(t -> audit.append(actor, action, "token:" + t.id, detail.getMap()))));
  }

  /** Revokes an active token and audits it in one transaction; false when none was active. */
  public Uni<Boolean> revoke(long id, String actor, String action) {
    return contexts.run(
        () ->
            Panache.withTransaction(
                () ->
                    update("revokedAt = current_timestamp where id = ?1 and revokedAt is null", id)
                        .call(
                            count ->
                                count == 0
                                    ? Uni.createFrom().voidItem()
                                    : audit.append(actor, action, "token:" + id, Map.of()))
                        .map(count -> count > 0)));
  }
}
