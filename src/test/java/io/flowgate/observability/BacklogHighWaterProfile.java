package io.flowgate.observability;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * An api-only process (nothing claims) with a SUBMITTED high-water mark, counted only when a test
 * asks (the periodic count is an hour apart).
 */
public class BacklogHighWaterProfile implements QuarkusTestProfile {

  static final int HIGH_WATER = 20_000;

  @Override
  public Map<String, String> getConfigOverrides() {
    return Map.of(
        "quarkus.http.test-port", "0",
        "flowgate.roles", "api",
        "flowgate.backlog.admission-high-water", String.valueOf(HIGH_WATER),
        "flowgate.backlog.admission-interval", "1h");
  }
}
