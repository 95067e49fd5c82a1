package io.flowgate.support;

import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/** Direct reads of the real database, to prove what was (or was not) written. */
@ApplicationScoped
public class Db {

  private static final Duration WAIT = Duration.ofSeconds(30);

  private final Pool pool;

  public Db(Pool pool) {
    this.pool = pool;
  }

  public long count(String sql, Object... args) {
    return pool.preparedQuery(sql)
        .execute(Tuple.from(args))
        .await()
        .atMost(WAIT)
        .iterator()
        .next()
        .getLong(0);
  }

  public long instancesOf(long project) {
    return count("select count(*) from workflow_instance where project_code = $1", project);
  }

  /** The first column of every row, in the query's order. */
  public java.util.List<Object> column(String sql, Object... args) {
    java.util.List<Object> out = new java.util.ArrayList<>();
    pool.preparedQuery(sql)
        .execute(Tuple.from(args))
        .await()
        .atMost(WAIT)
        .forEach(row -> out.add(row.getValue(0)));
    return out;
  }

  public void execute(String sql, Object... args) {
    pool.preparedQuery(sql).execute(Tuple.from(args)).await().atMost(WAIT);
  }
}
