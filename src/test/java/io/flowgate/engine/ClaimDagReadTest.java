package io.flowgate.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flowgate.config.DatabaseConfig;
import io.flowgate.support.Api;
import io.flowgate.support.EmbeddedPostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * A master claims an instance of a version it has not read yet while the shared pool is exhausted:
 * the instance stays SUBMITTED while no claim can run, is not failed by the pool, and succeeds once
 * connections are free again.
 */
@QuarkusTest
@TestProfile(EngineTestProfile.class)
@WithTestResource(EmbeddedPostgresResource.class)
class ClaimDagReadTest {

  @Inject MasterRole role;
  @Inject Pool pool;
  @Inject EngineDb db;

  @ConfigProperty(name = "quarkus.datasource.reactive.max-size")
  int poolSize;

  @Inject DatabaseConfig database;

  @Test
  void anExhaustedPoolLeavesTheInstanceSubmittedThenItSucceeds() {
    long project = Api.project();
    long workflow = Api.releasedWorkflow(project);
    role.master().stop();
    long id;
    boolean restarted = false;
    List<SqlConnection> held = new ArrayList<>();
    try {
      id = db.start(project, workflow, "END");
      held.addAll(everyFreeConnection());
      role.start();
      restarted = true;
      pause(database.acquireTimeout().plusSeconds(1));
      assertThat(stateOn(held.get(0), id)).isEqualTo("SUBMITTED");

      // one connection free: a claim can take it, but a second one (the old DAG read) would wait
      held.remove(0).close().await().atMost(Duration.ofSeconds(5));
      pause(database.acquireTimeout().multipliedBy(2).plusSeconds(1));
    } finally {
      held.forEach(c -> c.close().await().atMost(Duration.ofSeconds(5)));
      if (!restarted) {
        // the tests after this one share the service: never leave it without a master
        role.start();
      }
    }

    assertThat(db.awaitFinal(id)).isEqualTo("SUCCESS");
    assertThat(db.history(id)).doesNotContain("FAILURE").endsWith("SUCCESS");
  }

  // every connection the pool still gives: other parts of a master (the backlog exporter's
  // advisory lock) may hold one for good
  private List<SqlConnection> everyFreeConnection() {
    List<SqlConnection> taken = new ArrayList<>();
    try {
      while (taken.size() < poolSize) {
        taken.add(pool.getConnection().await().atMost(database.acquireTimeout().plusSeconds(5)));
      }
    } catch (RuntimeException exhausted) {
      // the pool has no more to give
    }
    assertThat(taken).isNotEmpty();
    return taken;
  }

  private static String stateOn(SqlConnection conn, long id) {
    return conn.preparedQuery("select state from workflow_instance where id = $1")
        .execute(Tuple.of(id))
        .await()
        .atMost(Duration.ofSeconds(5))
        .iterator()
        .next()
        .getString("state");
  }

  private static void pause(Duration d) {
    await().pollDelay(d).atMost(d.plusSeconds(1)).until(() -> true);
  }
}
