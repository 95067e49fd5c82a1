package io.flowgate.persistence;

import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.function.Supplier;

/**
 * Runs Hibernate Reactive work on a new safe duplicated Vert.x context, which its sessions require.
 * Each call gets a context, and so a session, of its own: Panache keeps the session on the context,
 * and a request that reads several definitions at once (a batch start) would otherwise use one
 * session concurrently, which Hibernate Reactive refuses. The answer comes back on the caller's
 * context.
 */
@ApplicationScoped
public class SafeContexts {

  private final Vertx vertx;

  public SafeContexts(Vertx vertx) {
    this.vertx = vertx;
  }

  public <T> Uni<T> run(Supplier<Uni<T>> work) {
    Context caller = Vertx.currentContext();
    Uni<T> detached =
        Uni.createFrom()
            .emitter(
                emitter -> {
                  Context context =
                      VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext());
                  VertxContextSafetyToggle.setContextSafe(context, true);
                  context.runOnContext(
                      v -> work.get().subscribe().with(emitter::complete, emitter::fail));
                });
    return caller == null
        ? detached
        : detached.emitOn(task -> caller.runOnContext(v -> task.run()));
  }
}
