package io.flowgate.support;

import io.flowgate.embedded.EmbeddedDatabase;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;
import java.util.Optional;

/**
 * Gives every test the real PostgreSQL: the one at {@code FLOWGATE_TEST_DB_URL} when set, else one
 * embedded PostgreSQL 15 per test JVM.
 */
public class EmbeddedPostgresResource implements QuarkusTestResourceLifecycleManager {

  @Override
  public Map<String, String> start() {
    String external = System.getenv("FLOWGATE_TEST_DB_URL");
    if (external != null && !external.isBlank()) {
      return Map.of(
          "flowgate.db.url", external,
          "flowgate.db.user", env("FLOWGATE_TEST_DB_USER", "postgres"),
          "flowgate.db.password", env("FLOWGATE_TEST_DB_PASSWORD", "postgres"));
    }
    // no test survives a crash of its database, so commits need not wait for the disk
    String url = EmbeddedDatabase.start(Optional.empty(), false);
    return Map.of("flowgate.db.url", url, "flowgate.db.user", EmbeddedDatabase.user());
  }

  @Override
  public void stop() {
    // one database serves every test class of the JVM; it stops with the JVM
  }

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }
}
