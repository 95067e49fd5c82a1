package io.flowgate.embedded;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import java.nio.file.Path;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Entry point of the service: starts an embedded PostgreSQL when no database is configured, then
 * Quarkus.
 */
@QuarkusMain
public final class FlowgateMain {

  private static final Logger LOG = Logger.getLogger(FlowgateMain.class.getName());

  private FlowgateMain() {}

  public static void main(String... args) {
    if (!DatabaseSettings.externalConfigured()) {
      String url = EmbeddedDatabase.start(DatabaseSettings.embeddedDataDir().map(Path::of), true);
      System.setProperty("flowgate.db.url", url);
      System.setProperty("flowgate.db.user", EmbeddedDatabase.user());
      LOG.info("No database configured: using embedded PostgreSQL at " + url);
    }
    Quarkus.run(args);
  }

  /** Where the datasource settings can come from before Quarkus reads its configuration. */
  static final class DatabaseSettings {
    private DatabaseSettings() {}

    static boolean externalConfigured() {
      return present("FLOWGATE_DB_URL", "flowgate.db.url")
              && System.getProperty(EmbeddedDatabase.RUNNING_URL_PROPERTY) == null
          || present("QUARKUS_DATASOURCE_REACTIVE_URL", "quarkus.datasource.reactive.url");
    }

    static Optional<String> embeddedDataDir() {
      return Optional.ofNullable(System.getenv("FLOWGATE_EMBEDDED_DATA_DIR"));
    }

    private static boolean present(String env, String property) {
      String value = System.getenv(env);
      if (value == null || value.isBlank()) {
        value = System.getProperty(property);
      }
      return value != null && !value.isBlank();
    }
  }
}
