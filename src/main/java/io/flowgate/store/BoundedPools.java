package io.flowgate.store;

import io.flowgate.config.DatabaseConfig;
import io.quarkus.arc.Unremovable;
import io.quarkus.logging.Log;
import io.quarkus.reactive.datasource.ReactiveDataSource;
import io.quarkus.reactive.pg.client.PgPoolCreator;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.SqlConnectOptions;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Builds the reactive pools with a bounded wait for a connection ({@code
 * flowgate.db.acquire-timeout}) instead of the client's 30 s default, so a saturated pool fails
 * fast and visibly.
 */
public final class BoundedPools {

  public static final String WRITER = "writer";

  private BoundedPools() {}

  static Pool create(String name, PgPoolCreator.Input input, DatabaseConfig config) {
    PoolOptions options =
        input
            .poolOptions()
            .setConnectionTimeout((int) config.acquireTimeout().toMillis())
            .setConnectionTimeoutUnit(TimeUnit.MILLISECONDS)
            // its own name: the pool metrics (sql_pool_*) of each pool are tagged apart
            .setName("flowgate-" + name);
    Log.infof(
        "%s pool: at most %d connections, a caller waits at most %s for one",
        name, options.getMaxSize(), config.acquireTimeout());
    return PgBuilder.pool()
        .with(options)
        .connectingTo(List.<SqlConnectOptions>copyOf(input.pgConnectOptionsList()))
        .using(input.vertx())
        .build();
  }

  /** The shared pool: engine, readers, definitions, tokens. */
  @Singleton
  @Unremovable
  public static class Shared implements PgPoolCreator {
    private final DatabaseConfig config;

    public Shared(DatabaseConfig config) {
      this.config = config;
    }

    @Override
    public Pool create(Input input) {
      return BoundedPools.create("shared", input, config);
    }
  }

  /** The batched writer's pool, one connection per in-flight batch. */
  @Singleton
  @Unremovable
  @ReactiveDataSource(WRITER)
  public static class Writer implements PgPoolCreator {
    private final DatabaseConfig config;

    public Writer(DatabaseConfig config) {
      this.config = config;
    }

    @Override
    public Pool create(Input input) {
      return BoundedPools.create(WRITER, input, config);
    }
  }
}
