package io.flowgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar refuses, when it starts, settings it could honour only in part, names them, and
 * exits: it does not wait for the first request to find out, nor keep its embedded PostgreSQL
 * waiting for a shutdown that cannot come.
 */
class StartupRefusalIT {

  /** How long the jar may take to start its embedded PostgreSQL and stop on a busy machine. */
  static final long EXIT_WITHIN_SECONDS = 180;

  @Test
  void aBatchLargerThanTheSpanLinkLimitStopsTheService(@TempDir Path dir) throws Exception {
    Path output = dir.resolve("jar.log");
    Process process =
        JarProcess.start(
            output,
            Map.of(
                "FLOWGATE_STORE_MAX_BATCH", "2000",
                "FLOWGATE_ADMIN_TOKEN", "startup-refusal-admin-token",
                "QUARKUS_HTTP_PORT", "0"));
    try {
      assertThat(process.waitFor(EXIT_WITHIN_SECONDS, TimeUnit.SECONDS))
          .as("the jar stops by itself; its output:%n%s", Files.readString(output))
          .isTrue();
      assertThat(process.exitValue()).isNotZero();
      assertThat(Files.readString(output))
          .contains(
              "flowgate.store.max-batch (2000) exceeds quarkus.otel.span.link.count.limit (1024)")
          .doesNotContain("Listening on")
          // the embedded PostgreSQL does not wait for a shutdown of a service that never started
          // (it used to wait its full bound, two minutes, before the process could exit)
          .doesNotContain("did not stop in time");
    } finally {
      process.destroyForcibly();
    }
  }
}
