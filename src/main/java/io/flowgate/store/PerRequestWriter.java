package io.flowgate.store;

import io.flowgate.config.StoreConfig;
import io.flowgate.store.BatchedInstanceWriter.StoreErrors;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Typed;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Per-request mode: one Hibernate Reactive transaction per start, the usual way, so that it can be
 * benchmarked against the batched writer. A duplicate key is resolved after the failed insert.
 */
@ApplicationScoped
@Typed(PerRequestWriter.class)
public class PerRequestWriter implements InstanceWriter {

  private final Vertx vertx;
  private final int poolSize;
  private final WriterTimeouts timeouts;

  public PerRequestWriter(
      Vertx vertx,
      @ConfigProperty(name = "quarkus.datasource.reactive.max-size", defaultValue = "20")
          int poolSize,
      StoreConfig config) {
    this.vertx = vertx;
    this.poolSize = poolSize;
    this.timeouts = WriterTimeouts.of(config.commitTimeout());
  }

  @Override
  public Uni<List<ItemResult>> commit(List<StartCommand> batch) {
    StartCommand command = batch.get(0);
    return onSafeContext(() -> insert(command))
        .map(outcome -> List.of(ItemResult.of(outcome)))
        .onFailure()
        .recoverWithItem(
            failure -> List.of(ItemResult.failed(answer(StoreFailures.classify(failure)))));
  }

  private static io.flowgate.problem.FlowgateException answer(RuntimeException failure) {
    return failure instanceof StoreFailures.StoreDataException data
        ? BatchedInstanceWriter.alone(data, false)
        : StoreErrors.toAnswer(failure);
  }

  private Uni<StartOutcome> insert(StartCommand command) {
    InstanceEntity entity = InstanceEntity.of(command);
    return Panache.withTransaction(
            () ->
                setTimeouts()
                    .flatMap(set -> entity.persistAndFlush())
                    .call(
                        () ->
                            Panache.getSession()
                                .flatMap(
                                    s ->
                                        s.createNativeQuery(
                                                "insert into instance_transition (instance_id, state, detail) values (?1, 'SUBMITTED', 'created')")
                                            .setParameter(1, entity.id)
                                            .executeUpdate()))
                    .map(e -> StartOutcome.created(entity.summary())))
        .onFailure(PerRequestWriter::duplicateKey)
        .recoverWithUni(() -> existing(command));
  }

  // the same waits as the batched writer, below the commit timeout
  private Uni<Object> setTimeouts() {
    return Panache.getSession()
        .flatMap(
            s ->
                s.createNativeQuery(
                        "select set_config('lock_timeout', ?1, true),"
                            + " set_config('statement_timeout', ?2, true)")
                    .setParameter(1, timeouts.lockTimeout().toMillis() + "ms")
                    .setParameter(2, timeouts.statementTimeout().toMillis() + "ms")
                    .getSingleResult());
  }

  private Uni<StartOutcome> existing(StartCommand command) {
    return Panache.withSession(
        () ->
            InstanceEntity.<InstanceEntity>find(
                    "projectCode = ?1 and idempotencyKey = ?2",
                    command.projectCode(),
                    command.idempotencyKey())
                .firstResult()
                .map(row -> resolve(command, row)));
  }

  private static StartOutcome resolve(StartCommand command, InstanceEntity row) {
    if (row == null) {
      throw new TransientStoreException("idempotency key vanished", null, false);
    }
    if (command.requestId().equals(row.requestId)) {
      return StartOutcome.created(row.summary());
    }
    StartOutcome.Kind kind =
        command.sameRequestAs(row.requestFingerprint)
            ? StartOutcome.Kind.REPLAYED
            : StartOutcome.Kind.KEY_REUSED;
    return new StartOutcome(kind, row.summary());
  }

  private static boolean duplicateKey(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof PgException pg && "23505".equals(pg.getSqlState())) {
        return true;
      }
    }
    return false;
  }

  // Hibernate Reactive needs a duplicated Vert.x context of its own for each transaction
  private <T> Uni<T> onSafeContext(java.util.function.Supplier<Uni<T>> work) {
    return Uni.createFrom()
        .emitter(
            emitter -> {
              Context context = VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext());
              io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle.setContextSafe(
                  context, true);
              context.runOnContext(
                  v -> work.get().subscribe().with(emitter::complete, emitter::fail));
            });
  }

  @Override
  public int maxBatch() {
    return 1;
  }

  @Override
  public int maxInFlight() {
    return poolSize;
  }

  @Override
  public long lingerMillis() {
    return 0;
  }
}
