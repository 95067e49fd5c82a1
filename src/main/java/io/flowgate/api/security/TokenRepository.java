package io.flowgate.api.security;

import io.flowgate.audit.AuditLog;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Token rows through Hibernate Reactive. Every call runs in a session of its own on a fresh Vert.x
 * context, so it works the same from a request, from a cache load shared by several requests, or
 * from a test thread; none of them blocks.
 */
@ApplicationScoped
public class TokenRepository implements PanacheRepositoryBase<TokenEntity, Long> {

  private final Vertx vertx;
  private final AuditLog audit;

  public TokenRepository(Vertx vertx, AuditLog audit) {
    this.vertx = vertx;
    this.audit = audit;
  }

  /** Token {@code id} when it is neither revoked nor expired, else null. */
  public Uni<TokenEntity> active(long id) {
    return onSafeContext(
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
    return onSafeContext(
            () ->
                Panache.withTransaction(
                    () -> update("lastUsedAt = current_timestamp where id = ?1", id)))
        .replaceWithVoid();
  }

  /** Tokens in id order after {@code afterId}, at most {@code limit}. */
  public Uni<List<TokenEntity>> page(long afterId, int limit) {
    return onSafeContext(
        () ->
            Panache.withSession(
                () -> find("id > ?1", Sort.by("id"), afterId).range(0, limit - 1).list()));
  }

  /** Inserts {@code token} and its audit event in one transaction (the event commits with it). */
  public Uni<TokenEntity> create(
      TokenEntity token, String actor, String action, JsonObject detail) {
    return onSafeContext(
        () ->
            Panache.withTransaction(
                () ->
                    persistAndFlush(token)
                        .call(t -> audit.append(actor, action, "token:" + t.id, detail.getMap()))));
  }

  /** Revokes an active token and audits it in one transaction; false when none was active. */
  public Uni<Boolean> revoke(long id, String actor, String action) {
    return onSafeContext(
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

  // the answer continues on the context of whoever asked, when it was asked on one
  private static void back(Context caller, Runnable answer) {
    if (caller == null) {
      answer.run();
    } else {
      caller.runOnContext(v -> answer.run());
    }
  }

  // Panache needs a safe (isolated) Vert.x context; a cache load or a test thread has none
  private <T> Uni<T> onSafeContext(Supplier<Uni<T>> work) {
    return Uni.createFrom()
        .emitter(
            emitter -> {
              Context context = VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext());
              VertxContextSafetyToggle.setContextSafe(context, true);
              Context caller = Vertx.currentContext();
              context.runOnContext(
                  v ->
                      work.get()
                          .subscribe()
                          .with(
                              item -> back(caller, () -> emitter.complete(item)),
                              failure -> back(caller, () -> emitter.fail(failure))));
            });
  }
}
