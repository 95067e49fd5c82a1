package io.flowgate.retention;

import io.flowgate.config.RetentionConfig;
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
 * The retention job's own pool (one connection, from {@code quarkus.datasource."retention"}), so
 * its deletes never take a connection from the writer or the engine; a wait for it is bounded by
 * {@code flowgate.retention.batch-timeout}.
 */
@Singleton
@Unremovable
@ReactiveDataSource(RetentionPool.NAME)
public class RetentionPool implements PgPoolCreator {

  public static final String NAME = "retention";

  private final RetentionConfig config;

  public RetentionPool(RetentionConfig config) {
    this.config = config;
  }

  @Override
  public Pool create(Input input) {
    PoolOptions options =
        input
            .poolOptions()
            .setConnectionTimeout((int) config.batchTimeout().toMillis())
            .setConnectionTimeoutUnit(TimeUnit.MILLISECONDS)
            // its own name: the pool metrics (sql_pool_*) of each pool are tagged apart
            .setName("flowgate-" + NAME);
    Log.infof("%s pool: at most %d connections", NAME, options.getMaxSize());
    return PgBuilder.pool()
        .with(options)
        .connectingTo(List.<SqlConnectOptions>copyOf(input.pgConnectOptionsList()))
        .using(input.vertx())
        .build();
  }
}
