package io.flowgate.observability;

import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.SmallRyeConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.Optional;

/**
 * Where traces go, decided when the process starts: spans are recorded only when something receives
 * them, an OTLP endpoint given by the operator or a span exporter bean (the tests' in-memory one).
 * Without either, no span is sampled, so nothing is sent and no export warning repeats every few
 * seconds; answers and log lines still carry trace ids.
 *
 * <p>Hand-written because the OTLP exporter's switch is fixed at build time and its endpoint falls
 * back to localhost:4317 when left empty; the sampler is the runtime decision that remains.
 */
@ApplicationScoped
public class TraceExport {

  static final String ENDPOINT = "quarkus.otel.exporter.otlp.endpoint";
  static final String TRACES_ENDPOINT = "quarkus.otel.exporter.otlp.traces.endpoint";
  static final String PROTOCOL = "quarkus.otel.exporter.otlp.traces.protocol";
  static final String SDK_DISABLED = "quarkus.otel.sdk.disabled";
  static final String SAMPLER = "quarkus.otel.traces.sampler";
  static final String SAMPLER_ARG = "quarkus.otel.traces.sampler.arg";
  static final String HOW_TO_EXPORT =
      "set OTEL_EXPORTER_OTLP_ENDPOINT (e.g. http://localhost:4317, gRPC) to send traces to a"
          + " collector";

  private final SmallRyeConfig config;
  private final boolean exporterBeans;

  public TraceExport(SmallRyeConfig config, Instance<SpanExporter> exporters) {
    this.config = config;
    this.exporterBeans = !exporters.isUnsatisfied();
  }

  /** The operator's OTLP endpoint for traces; empty when none was given (not the default). */
  Optional<String> endpoint() {
    return given(TRACES_ENDPOINT).or(() -> given(ENDPOINT));
  }

  boolean sdkDisabled() {
    return config.getOptionalValue(SDK_DISABLED, Boolean.class).orElse(false);
  }

  boolean recording() {
    return !sdkDisabled() && (endpoint().isPresent() || exporterBeans);
  }

  /** The configured sampler when spans have a receiver; otherwise none is sampled. */
  @Produces
  @Singleton
  Sampler sampler() {
    if (!recording()) {
      return Sampler.alwaysOff();
    }
    return configuredSampler(
        config.getOptionalValue(SAMPLER, String.class).orElse("parentbased_always_on"),
        config.getOptionalValue(SAMPLER_ARG, Double.class).orElse(1.0));
  }

  // the standard OTEL_TRACES_SAMPLER names, which a sampler bean replaces in Quarkus
  static Sampler configuredSampler(String name, double ratio) {
    return switch (name) {
      case "always_on" -> Sampler.alwaysOn();
      case "always_off" -> Sampler.alwaysOff();
      case "traceidratio" -> Sampler.traceIdRatioBased(ratio);
      case "parentbased_always_on" -> Sampler.parentBased(Sampler.alwaysOn());
      case "parentbased_always_off" -> Sampler.parentBased(Sampler.alwaysOff());
      case "parentbased_traceidratio" -> Sampler.parentBased(Sampler.traceIdRatioBased(ratio));
      default ->
          throw new IllegalArgumentException(
              "unknown "
                  + SAMPLER
                  + " '"
                  + name
                  + "'; one of always_on, always_off, traceidratio,"
                  + " parentbased_always_on, parentbased_always_off, parentbased_traceidratio");
    };
  }

  void announce(@Observes StartupEvent event) {
    if (sdkDisabled()) {
      Log.infof("Tracing is off (%s=true); answers carry no trace ids", SDK_DISABLED);
    } else if (endpoint().isPresent()) {
      Log.infof(
          "Traces are exported over OTLP (%s) to %s, sampler %s",
          config.getOptionalValue(PROTOCOL, String.class).orElse("grpc"),
          endpoint().get(),
          config.getOptionalValue(SAMPLER, String.class).orElse("parentbased_always_on"));
    } else if (exporterBeans) {
      Log.info("Traces go to the span exporter beans of this process; no OTLP endpoint is set");
    } else {
      Log.infof(
          "Traces are not exported: no OTLP endpoint is configured, so no span is recorded"
              + " (answers and logs still carry trace ids); %s",
          HOW_TO_EXPORT);
    }
  }

  // a value the operator gave, not the exporter's built-in default (which has the lowest ordinal)
  private Optional<String> given(String name) {
    ConfigValue value = config.getConfigValue(name);
    if (value == null || value.getValue() == null || value.getValue().isBlank()) {
      return Optional.empty();
    }
    if (value.getConfigSourceOrdinal() == Integer.MIN_VALUE) {
      return Optional.empty();
    }
    return Optional.of(value.getValue().trim());
  }
}
