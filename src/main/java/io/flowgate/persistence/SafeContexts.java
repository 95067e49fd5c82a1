package io.flowgate.persistence;

import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.function.Supplier;

/**
 * Runs Hibernate Reactive work on a safe duplicated Vert.x context, which its sessions require: the
 * caller's own when it has one (a request), else a new one (cache loaders, queue callbacks). The
 * answer comes back on the caller's context.
 */
@ApplicationScoped
public class SafeContexts {

  private final Vertx vertx;

  public SafeContexts(Vertx vertx) {
    this.vertx = vertx;
  }

  public <T> Uni<T> run(Supplier<Uni<T>> work) {
    Context caller = Vertx.currentContext();
    if (caller != null
        && VertxContext.isDuplicatedContext(caller)
        && VertxContextSafetyToggle.isExplicitlyMarkedAsSafe(caller)) {
      return Uni.createFrom().deferred(work::get);
    }
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
