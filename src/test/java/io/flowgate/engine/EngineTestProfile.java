package io.flowgate.engine;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** Short leases and polls so that takeovers and retries happen within a test. */
public class EngineTestProfile implements QuarkusTestProfile {

  @Override
  public Map<String, String> getConfigOverrides() {
    return Map.ofEntries(
        Map.entry("quarkus.http.test-port", "0"),
        Map.entry("flowgate.master.lease", "3s"),
        Map.entry("flowgate.master.heartbeat", "500ms"),
        Map.entry("flowgate.master.poll-interval", "200ms"),
        Map.entry("flowgate.worker.lease", "5s"),
        Map.entry("flowgate.worker.heartbeat", "500ms"),
        Map.entry("flowgate.worker.poll-interval", "200ms"),
        Map.entry("flowgate.worker.http-timeout", "5s"),
        Map.entry("flowgate.reconciler.interval", "500ms"),
        Map.entry("flowgate.reconciler.claim-sla", "30s"),
        Map.entry("flowgate.reconciler.no-progress", "10m"),
        Map.entry("flowgate.reconciler.task-timeout-margin", "60s"));
  }
}
