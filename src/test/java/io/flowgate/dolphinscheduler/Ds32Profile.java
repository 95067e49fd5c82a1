package io.flowgate.dolphinscheduler;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** The DS 3.2 generation: data is a trigger code. */
public class Ds32Profile implements QuarkusTestProfile {

  @Override
  public Map<String, String> getConfigOverrides() {
    return Map.of("quarkus.http.test-port", "0", "flowgate.dolphinscheduler.version", "3.2");
  }
}
