package io.flowgate.api.security;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** A small token cache and a tight failed-authentication limit, so floods reach both bounds. */
public class AuthFloodProfile implements QuarkusTestProfile {

  static final int FAILURE_BURST = 5;
  static final int CACHE_SIZE = 200;

  @Override
  public Map<String, String> getConfigOverrides() {
    return Map.of(
        "flowgate.auth.failure-limit.burst", String.valueOf(FAILURE_BURST),
        "flowgate.auth.failure-limit.per-second", "1",
        "flowgate.auth.cache-size", String.valueOf(CACHE_SIZE),
        "flowgate.auth.cache-ttl", "10m",
        "flowgate.roles", "api");
  }
}
