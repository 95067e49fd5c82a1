package io.flowgate.observability;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** An api-only process: nothing claims, so SUBMITTED instances stay SUBMITTED. */
public class ApiOnlyProfile implements QuarkusTestProfile {

  @Override
  public Map<String, String> getConfigOverrides() {
    return Map.of("quarkus.http.test-port", "0", "flowgate.roles", "api");
  }
}
