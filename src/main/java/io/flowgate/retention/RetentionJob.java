package io.flowgate.retention;

import io.flowgate.config.RetentionConfig;
import io.flowgate.retention.RetentionStore.Removed;
import io.quarkus.logging.Log;
import io.quarkus.reactive.datasource.ReactiveDataSource;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * One tick of retention: up to max-batches-per-tick transactions, each removing up to batch-size
 * finished instances past their project's horizon with their tasks and history (archived first when
 * the archive is on), on the job's own one-connection pool. A transaction that finds the advisory
 * lock taken by another replica removes nothing and ends the tick.
 */
@ApplicationScoped
public class RetentionJob {

  /** What a tick did. */
  public record Tick(int batches, long instances, long tasks, long transitions, boolean locked) {}

  private record Batch(boolean locked, Removed removed) {}

  private final RetentionConfig config;
  private final RetentionStore store;
  private final Archive archive;
  private final RetentionMetrics metrics;
  private final Pool pool;

  public RetentionJob(
      RetentionConfig config,
      RetentionStore store,
      Archive archive,
      RetentionMetrics metrics,
      @ReactiveDataSource(RetentionPool.NAME) Pool pool) {
    this.config = config;
    this.store = store;
    this.archive = archive;
    this.metrics = metrics;
    this.pool = pool;
  }

  public Uni<Tick> tick() {
    return Multi.createBy()
        .repeating()
        .uni(this::batch)
        .whilst(b -> b.locked() && b.removed().instances() >= config.batchSize())
        .select()
        .first(config.maxBatchesPerTick())
        .collect()
        .asList()
        .flatMap(batches -> updateLag().replaceWith(summary(batches)));
  }

  private Uni<Batch> batch() {
    return pool.withTransaction(
            conn ->
                store
                    .tryLock(conn, config.batchTimeout())
                    .flatMap(
                        locked ->
                            locked
                                ? remove(conn).map(r -> new Batch(true, r))
                                : Uni.createFrom().item(new Batch(false, new Removed(0, 0, 0)))))
        .ifNoItem()
        .after(config.batchTimeout())
        .failWith(() -> new IllegalStateException("retention batch exceeded its timeout"))
        .invoke(b -> metrics.removed(b.removed()));
  }

  private Uni<Removed> remove(SqlConnection conn) {
    return store
        .doomed(conn, config.period(), config.batchSize())
        .flatMap(
            ids -> {
              if (ids.length == 0) {
                return Uni.createFrom().item(new Removed(0, 0, 0));
              }
              return archiveFirst(conn, ids).flatMap(ignored -> store.delete(conn, ids));
            });
  }

  private Uni<Void> archiveFirst(SqlConnection conn, Long[] ids) {
    if (!config.archive().enabled()) {
      return Uni.createFrom().voidItem();
    }
    return store
        .export(conn, ids)
        .call(
            lines ->
                archive
                    .write(lines)
                    .onFailure()
                    .invoke(
                        failure -> {
                          // the transaction rolls back: the instances stay until a later tick
                          metrics.archiveFailed();
                          Log.warnf(
                              "Archive write failed, %d instances are kept: %s",
                              lines.size(), failure.toString());
                        }))
        .invoke(lines -> metrics.archived(lines.size()))
        .replaceWithVoid();
  }

  private Uni<Void> updateLag() {
    return pool.withConnection(conn -> store.lag(conn, config.period()))
        .ifNoItem()
        .after(config.batchTimeout())
        .failWith(() -> new IllegalStateException("retention lag query exceeded its timeout"))
        .invoke(metrics::lag)
        .replaceWithVoid();
  }

  private static Tick summary(List<Batch> batches) {
    long instances = 0;
    long tasks = 0;
    long transitions = 0;
    boolean locked = true;
    for (Batch b : batches) {
      instances += b.removed().instances();
      tasks += b.removed().tasks();
      transitions += b.removed().transitions();
      locked &= b.locked();
    }
    return new Tick(batches.size(), instances, tasks, transitions, locked);
  }
}
