package io.flowgate.retention;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Batches of two, two per tick, archive on in a fresh directory; the loop's own timer waits an
 * hour, so every removal in a test is a tick the test asked for.
 */
public class RetentionTestProfile implements QuarkusTestProfile {

  static final Path ARCHIVE = archiveDirectory();

  @Override
  public Map<String, String> getConfigOverrides() {
    return Map.of(
        "flowgate.retention.enabled", "true",
        "flowgate.retention.period", "7d",
        "flowgate.retention.batch-size", "2",
        "flowgate.retention.max-batches-per-tick", "2",
        "flowgate.retention.interval", "1h",
        "flowgate.retention.archive.enabled", "true",
        "flowgate.retention.archive.directory", ARCHIVE.toString());
  }

  private static Path archiveDirectory() {
    try {
      return Files.createTempDirectory("flowgate-archive-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
