package io.flowgate.admission;

import static io.flowgate.support.Api.startPath;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.flowgate.support.Api;
import io.flowgate.support.EmbeddedPostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The per-request write mode: client hang-ups settle as in the batched mode, and a scheduleTime
 * PostgreSQL cannot store is refused up front, as the batched mode refuses it.
 */
@QuarkusTest
@TestProfile(PerRequestModeTest.PerRequest.class)
@WithTestResource(EmbeddedPostgresResource.class)
class PerRequestModeTest extends ClientGoneScenarios {

  /** One Hibernate Reactive transaction per start. */
  public static class PerRequest implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      Map<String, String> config =
          new HashMap<>(new ClientGoneTest.HeldWriter().getConfigOverrides());
      config.put("flowgate.store.write-mode", "per-request");
      return config;
    }
  }

  @Test
  void scheduleTimeOffsetBeyondWhatPostgresStoresIsRefusedAndNothingIsWritten() {
    long project = Api.project();
    long workflow = Api.releasedWorkflow(project);
    for (String offset : new String[] {"+16:00", "-16:00", "+18:00", "-17:30"}) {
      Api.admin()
          .body(Map.of("scheduleTime", "2026-01-01T00:00:00" + offset))
          .post(startPath(project, workflow))
          .then()
          .statusCode(400)
          .body("code", equalTo("VALIDATION_FAILED"))
          .body("detail", containsString("scheduleTime"));
    }
    assertThat(db.instancesOf(project)).isZero();
    Api.admin()
        .body(Map.of("scheduleTime", "2026-01-01T00:00:00+15:59"))
        .post(startPath(project, workflow))
        .then()
        .statusCode(201);
    assertThat(db.instancesOf(project)).isOne();
  }
}
