package io.flowgate.observability;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowgate.support.Api;
import io.flowgate.support.Db;
import io.flowgate.support.EmbeddedPostgresResource;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Two masters, one exporter: the backlog gauges are registered by the process holding the advisory
 * lock only, carry the database's counts, and move to the other process when the holder lets go.
 */
@QuarkusTest
@TestProfile(ApiOnlyProfile.class)
@WithTestResource(EmbeddedPostgresResource.class)
class BacklogGaugesTest {

  private static final Duration WAIT = Duration.ofSeconds(30);

  @Inject Pool pool;
  @Inject Db db;

  @Test
  void exactlyOneProcessExportsTheBacklogAndAnotherTakesOver() {
    long project = Api.project();
    long workflow = Api.releasedWorkflow(project);
    for (int i = 0; i < 3; i++) {
      Api.admin()
          .body(Map.of())
          .post("/api/v1/projects/" + project + "/workflows/" + workflow + "/instances")
          .then()
          .statusCode(201);
    }
    MeterRegistry first = new SimpleMeterRegistry();
    MeterRegistry second = new SimpleMeterRegistry();
    BacklogExporter a = new BacklogExporter(pool, first, Duration.ofSeconds(5), 100_000);
    BacklogExporter b = new BacklogExporter(pool, second, Duration.ofSeconds(5), 100_000);
    try {
      assertThat(a.tick().await().atMost(WAIT)).isTrue();
      assertThat(b.tick().await().atMost(WAIT)).isFalse();
      assertThat(a.exporting()).isTrue();
      assertThat(b.exporting()).isFalse();
      assertThat(second.find(BacklogExporter.SUBMITTED).gauge()).isNull();
      long submitted = db.count("select count(*) from workflow_instance where state = 'SUBMITTED'");
      assertThat(submitted).isGreaterThanOrEqualTo(3);
      assertThat(first.get(BacklogExporter.SUBMITTED).gauge().value()).isEqualTo(submitted);
      assertThat(first.get(BacklogExporter.DISPATCHED).gauge().value())
          .isEqualTo(db.count("select count(*) from task_instance where state = 'DISPATCHED'"));

      a.release().await().atMost(WAIT);
      assertThat(first.find(BacklogExporter.SUBMITTED).gauge()).isNull();
      assertThat(b.tick().await().atMost(WAIT)).isTrue();
      assertThat(second.get(BacklogExporter.SUBMITTED).gauge().value()).isEqualTo(submitted);
      assertThat(a.tick().await().atMost(WAIT)).isFalse();
    } finally {
      a.release().await().atMost(WAIT);
      b.release().await().atMost(WAIT);
    }
  }

  @Test
  void theCountIsCapped() {
    long project = Api.project();
    long workflow = Api.releasedWorkflow(project);
    for (int i = 0; i < 2; i++) {
      Api.admin()
          .body(Map.of())
          .post("/api/v1/projects/" + project + "/workflows/" + workflow + "/instances")
          .then()
          .statusCode(201);
    }
    MeterRegistry registry = new SimpleMeterRegistry();
    BacklogExporter capped = new BacklogExporter(pool, registry, Duration.ofSeconds(5), 1);
    try {
      assertThat(capped.tick().await().atMost(WAIT)).isTrue();
      assertThat(registry.get(BacklogExporter.SUBMITTED).gauge().value()).isEqualTo(1);
    } finally {
      capped.release().await().atMost(WAIT);
    }
  }
}
