package io.flowgate.embedded;

import io.quarkus.logging.Log;
import io.quarkus.runtime.QuarkusApplication;

/**
 * The migration Job's application: Flyway has migrated the schema while Quarkus started (a failed
 * migration fails the start with a non-zero exit), so there is nothing left but to exit 0.
 */
public class MigrateOnly implements QuarkusApplication {

  @Override
  public int run(String... args) {
    Log.info("Schema migrated; exiting");
    return 0;
  }
}
