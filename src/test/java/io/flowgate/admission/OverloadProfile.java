package io.flowgate.admission;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** A small queue and a slow writer, so that a burst overloads admission. */
public class OverloadProfile implements QuarkusTestProfile {
  @Override
  public Map<String, String> getConfigOverrides() {
    return Map.of(
        "flowgate.admission.capacity", "100",
        "flowgate.admission.max-wait", "1s",
        "flowgate.store.max-batch", "16",
        "flowgate.store.max-in-flight", "1",
        "flowgate.request.timeout", "8s",
        "flowgate.roles", "api",
        "flowgate.store.commit-timeout", "6s");
  }
}
