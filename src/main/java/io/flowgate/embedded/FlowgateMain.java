package io.flowgate.embedded;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Entry point of the service: starts an embedded PostgreSQL when no database is configured and a
 * person runs the jar, then Quarkus. Images and manifests switch the embedded database off ({@code
 * FLOWGATE_EMBEDDED_ENABLED=false}): there a missing database URL stops the process at once.
 *
 * <p>With the argument {@value #MIGRATE}, the process migrates the schema and exits (the migration
 * Job of the Kubernetes manifests).
 */
@QuarkusMain
public final class FlowgateMain {

  /** The argument that runs the schema migration only, then exits. */
  public static final String MIGRATE = "migrate";

  /** Exit status when the configuration cannot work (no database and no embedded one). */
  public static final int CONFIGURATION_ERROR = 78;

  private static final Logger LOG = Logger.getLogger(FlowgateMain.class.getName());

  private FlowgateMain() {}

  public static void main(String... args) {
    if (!DatabaseSettings.externalConfigured()) {
      if (!DatabaseSettings.embeddedEnabled()) {
        // printed, not logged: logging is not configured before Quarkus starts, and an operator
        // reading "kubectl logs --previous" must see why the container exited
        System.err.println(DatabaseSettings.MISSING_URL);
        System.exit(CONFIGURATION_ERROR);
        return;
      }
      String url = EmbeddedDatabase.start(DatabaseSettings.embeddedDataDir().map(Path::of), true);
      System.setProperty("flowgate.db.url", url);
      System.setProperty("flowgate.db.user", EmbeddedDatabase.user());
      LOG.info("No database configured: using embedded PostgreSQL at " + url);
    }
    if (args.length > 0 && MIGRATE.equals(args[0])) {
      System.setProperty("quarkus.flyway.migrate-at-start", "true");
      System.setProperty("quarkus.flyway.validate-at-start", "false");
      // no claim loop, no shutdown delay: this process only migrates
      System.setProperty("flowgate.roles", "api");
      System.setProperty("quarkus.shutdown.delay", "0s");
      Quarkus.run(MigrateOnly.class, Arrays.copyOfRange(args, 1, args.length));
      return;
    }
    Quarkus.run(args);
  }

  /** Where the datasource settings can come from before Quarkus reads its configuration. */
  static final class DatabaseSettings {

    static final String MISSING_URL =
        "FLOWGATE_DB_URL is not set and the embedded PostgreSQL is switched off"
            + " (FLOWGATE_EMBEDDED_ENABLED=false, as in every container image and manifest):"
            + " set FLOWGATE_DB_URL=postgresql://host:port/database"
            + " (with FLOWGATE_DB_USER and FLOWGATE_DB_PASSWORD). Exiting.";

    private DatabaseSettings() {}

    static boolean externalConfigured() {
      return present("FLOWGATE_DB_URL", "flowgate.db.url")
              && System.getProperty(EmbeddedDatabase.RUNNING_URL_PROPERTY) == null
          || present("QUARKUS_DATASOURCE_REACTIVE_URL", "quarkus.datasource.reactive.url");
    }

    /** Whether a missing URL may start the embedded database (true unless switched off). */
    static boolean embeddedEnabled() {
      String value = value("FLOWGATE_EMBEDDED_ENABLED", "flowgate.embedded.enabled");
      return value == null || value.isBlank() || !"false".equalsIgnoreCase(value.trim());
    }

    static Optional<String> embeddedDataDir() {
      return Optional.ofNullable(value("FLOWGATE_EMBEDDED_DATA_DIR", "flowgate.embedded.data-dir"))
          .filter(dir -> !dir.isBlank());
    }

    private static boolean present(String env, String property) {
      String value = value(env, property);
      return value != null && !value.isBlank();
    }

    private static String value(String env, String property) {
      String value = System.getenv(env);
      if (value == null || value.isBlank()) {
        value = System.getProperty(property);
      }
      return value;
    }
  }
}
