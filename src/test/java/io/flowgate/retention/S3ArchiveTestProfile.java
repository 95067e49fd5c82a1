package io.flowgate.retention;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * The retention settings of {@link RetentionTestProfile} with the archive on and no directory: the
 * S3 target comes from {@link S3ProxyResource} (or, in {@link S3UnreachableTestProfile}, a port
 * nobody listens on).
 */
public class S3ArchiveTestProfile implements QuarkusTestProfile {

  @Override
  public Map<String, String> getConfigOverrides() {
    return Map.of(
        "flowgate.retention.enabled", "true",
        "flowgate.retention.period", "7d",
        "flowgate.retention.batch-size", "2",
        "flowgate.retention.max-batches-per-tick", "2",
        "flowgate.retention.interval", "1h",
        "flowgate.retention.batch-timeout", "10s",
        "flowgate.retention.archive.enabled", "true");
  }
}
