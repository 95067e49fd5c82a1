package io.flowgate.engine;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.flowgate.store.DefinitionRow;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletableFuture;

/**
 * DAGs by workflow code and version, on Caffeine: bounded with frequency-based eviction
 * (W-TinyLFU), and concurrent misses of one version share one read. A version never changes, so an
 * entry needs no refresh and no expiry; it leaves only when the bound evicts it. The read runs on
 * the connection of the caller that missed first (a claim never needs a second one from the pool):
 * a store error fails the {@link Uni} as it is (the caller's transaction rolls back and is tried
 * again), and only a version that is missing or cannot be parsed fails it with {@link
 * BadDefinition}. A failed read is not cached; it is logged and counted.
 */
@ApplicationScoped
public class DagCache {

  private static final int MAX = 10_000;
  private static final String READ =
      "select dag from workflow_version where workflow_code = $1 and version = $2";

  /** The stored version is missing or unparseable: the instance's own definition is at fault. */
  public static final class BadDefinition extends RuntimeException {
    BadDefinition(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private record Key(long workflowCode, int version) {
    @Override
    public String toString() {
      return workflowCode + ":" + version;
    }
  }

  private final AsyncCache<Key, Dag> dags;
  private final Counter readFailures;

  public DagCache(MeterRegistry registry) {
    this.dags = Caffeine.newBuilder().maximumSize(MAX).recordStats().buildAsync();
    this.readFailures =
        Counter.builder("flowgate.engine.dag.cache.read.failures")
            .description("DAG reads that failed (store error, missing or unparseable version)")
            .register(registry);
    CaffeineCacheMetrics.monitor(registry, dags, "flowgate.dags");
  }

  public Uni<Dag> get(SqlClient conn, long workflowCode, int version) {
    CompletableFuture<Dag> shared =
        dags.get(
            new Key(workflowCode, version),
            (key, executor) -> read(conn, key).subscribeAsCompletionStage());
    if (shared.isDone()) {
      return Uni.createFrom().completionStage(shared.copy());
    }
    // a caller that shares another's read continues on its own event loop
    Context context = Vertx.currentContext();
    Uni<Dag> answer = Uni.createFrom().completionStage(shared.copy());
    return context == null ? answer : answer.emitOn(task -> context.runOnContext(v -> task.run()));
  }

  private Uni<Dag> read(SqlClient conn, Key key) {
    return conn.preparedQuery(READ)
        .execute(Tuple.of(key.workflowCode(), key.version()))
        .map(
            rows -> {
              if (!rows.iterator().hasNext()) {
                throw new BadDefinition("no workflow version " + key, null);
              }
              return parse(key, rows.iterator().next());
            })
        .onFailure()
        .invoke(
            failure -> {
              readFailures.increment();
              Log.warnf("reading the DAG of workflow version %s failed: %s", key, failure);
            });
  }

  private static Dag parse(Key key, Row stored) {
    try {
      return Dag.parse(DefinitionRow.of(stored).dag());
    } catch (RuntimeException e) {
      throw new BadDefinition("workflow version " + key + " cannot be parsed: " + e, e);
    }
  }
}
