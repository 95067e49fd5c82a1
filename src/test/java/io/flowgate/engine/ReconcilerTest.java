package io.flowgate.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flowgate.support.Api;
import io.flowgate.support.Db;
import io.flowgate.support.EmbeddedPostgresResource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Instances SUBMITTED past the claim SLA are counted, logged and re-driven. */
@QuarkusTest
@TestProfile(EngineTestProfile.class)
@WithTestResource(EmbeddedPostgresResource.class)
class ReconcilerTest {

  @Inject MasterRole role;
  @Inject MeterRegistry registry;
  @Inject Db db;
  @Inject EngineDb engine;

  private double redriven() {
    return registry.counter("flowgate.instances.redriven").count();
  }

  @Test
  void aStuckInstanceIsCountedAndThenClaimed() {
    long project = Api.project();
    long workflow = Api.releasedWorkflow(project);
    double before = redriven();
    role.master().stop();
    long id;
    try {
      id =
          engine
              .rows(
                  "insert into workflow_instance (project_code, workflow_code, workflow_version,"
                      + " state, priority, failure_strategy, idempotency_key, request_id,"
                      + " request_fingerprint, trace_parent, created_at)"
                      + " values ($1, $2, 1, 'SUBMITTED', 'MEDIUM', 'END', 'stuck', gen_random_uuid(),"
                      + " 'stuck', '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',"
                      + " now() - interval '1 hour') returning id",
                  project,
                  workflow)
              .get(0)
              .getLong("id");
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  redriven() > before
                      && registry.get("flowgate.instances.stuck").gauge().value() >= 1);
    } finally {
      role.start();
    }
    assertThat(engine.awaitFinal(id)).isEqualTo("SUCCESS");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> registry.get("flowgate.instances.stuck").gauge().value() == 0);
  }

  @Test
  void claimsAndTaskOutcomesAreMeasured() {
    long project = Api.project();
    long id = engine.start(project, Api.releasedWorkflow(project), "END");

    assertThat(engine.awaitFinal(id)).isEqualTo("SUCCESS");
    assertThat(registry.get("flowgate.master.claim.lag").timer().count()).isPositive();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                registry
                        .get("flowgate.task.outcomes")
                        .tags("type", "NOOP", "state", "SUCCESS")
                        .counter()
                        .count()
                    > 0);
  }
}
