package io.flowgate.admission;

import io.flowgate.config.AdmissionConfig;
import io.flowgate.config.ShutdownConfig;
import io.flowgate.observability.StartLedger;
import io.flowgate.store.StoreBoundary;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness of the start path means "send me traffic": DOWN only once shutdown began (and, through
 * Quarkus, while starting). An open store breaker, a queue above its high-water mark or a non-zero
 * ledger are answered by the service itself (429/503 + Retry-After) and raised as alerts; they are
 * reported here as data only, since taking every replica out of the Service in an outage would turn
 * explicit 503s into refused connections. See docs/operations.md, "Readiness".
 */
@Readiness
@ApplicationScoped
public class AdmissionHealth implements HealthCheck {

  private final StartAdmission admission;
  private final StartLedger ledger;
  private final CircuitBreakerMaintenance breakers;
  private final double highWater;
  private final ShutdownConfig shutdown;

  public AdmissionHealth(
      StartAdmission admission,
      StartLedger ledger,
      CircuitBreakerMaintenance breakers,
      AdmissionConfig config,
      ShutdownConfig shutdown) {
    this.admission = admission;
    this.ledger = ledger;
    this.breakers = breakers;
    this.highWater = config.highWater();
    this.shutdown = shutdown;
  }

  @Override
  public HealthCheckResponse call() {
    CircuitBreakerState breaker = breakers.currentState(StoreBoundary.BREAKER);
    double fill = (double) admission.depth() / admission.capacity();
    long unaccounted = ledger.unaccounted();
    if (unaccounted != 0) {
      Log.errorf(
          "unaccounted start requests: %d; overdue traces %s",
          unaccounted, ledger.overdueTraceIds());
    }
    return HealthCheckResponse.named("admission")
        .status(!admission.shuttingDown())
        .withData("shuttingDown", admission.shuttingDown())
        .withData("storeBreaker", breaker.name())
        .withData("queueDepth", admission.depth())
        .withData("queueCapacity", admission.capacity())
        .withData("queueSaturated", fill >= highWater)
        .withData("unaccounted", unaccounted)
        .build();
  }

  // SIGTERM, first phase (flowgate.shutdown.delay): readiness DOWN and new starts refused with
  // 503 SHUTTING_DOWN while the HTTP server still delivers the answers of what is queued
  void onShutdownDelay(@Observes ShutdownDelayInitiatedEvent event) {
    admission.beginShutdown();
  }

  // last phase: what is still queued gets the drain period, then an explicit answer
  void onShutdown(@Observes ShutdownEvent event) {
    admission.shutdown(shutdown.drainPeriod().toMillis());
  }
}
