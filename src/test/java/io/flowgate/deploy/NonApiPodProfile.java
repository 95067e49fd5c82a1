package io.flowgate.deploy;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** A master and worker pod, as the split manifests run it: no api role. */
public class NonApiPodProfile implements QuarkusTestProfile {

  @Override
  public Map<String, String> getConfigOverrides() {
    return Map.of("quarkus.http.test-port", "0", "flowgate.roles", "master,worker");
  }
}
