package io.flowgate.admission;

import io.flowgate.support.EmbeddedPostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;

/** Client hang-ups in the batched write mode. */
@QuarkusTest
@TestProfile(ClientGoneTest.HeldWriter.class)
@WithTestResource(EmbeddedPostgresResource.class)
class ClientGoneTest extends ClientGoneScenarios {

  /**
   * Lock and statement waits (derived from the commit timeout) long enough that the test, not the
   * writer's lock timeout, decides when the held insert goes on.
   */
  public static class HeldWriter implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "flowgate.store.commit-timeout", "60s",
          "flowgate.request.timeout", "90s",
          "flowgate.roles", "api");
    }
  }
}
