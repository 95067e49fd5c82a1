package io.flowgate.embedded;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Keeps the embedded PostgreSQL up until the service's shutdown is over: its stop waits for the
 * last shutdown observer, after the drain and the lease release.
 */
@ApplicationScoped
public class EmbeddedDatabaseLifecycle {

  void started(@Observes StartupEvent event) {
    EmbeddedDatabase.applicationStarted();
  }

  void stopped(@Observes @Priority(Integer.MAX_VALUE) ShutdownEvent event) {
    EmbeddedDatabase.applicationStopped();
  }
}
