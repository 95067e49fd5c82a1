package io.flowgate.retention;

import java.util.HashMap;
import java.util.Map;

/** The S3 archive pointed at a loopback port nobody listens on. */
public class S3UnreachableTestProfile extends S3ArchiveTestProfile {

  @Override
  public Map<String, String> getConfigOverrides() {
    Map<String, String> config = new HashMap<>(super.getConfigOverrides());
    config.put("flowgate.retention.archive.s3.bucket", "flowgate-archive");
    config.put(
        "flowgate.retention.archive.s3.endpoint", "http://127.0.0.1:" + S3ProxyResource.freePort());
    config.put("flowgate.retention.archive.s3.path-style", "true");
    config.put("flowgate.retention.archive.s3.access-key-id", "unreachable");
    config.put("flowgate.retention.archive.s3.secret-access-key", "unreachable");
    return config;
  }
}
