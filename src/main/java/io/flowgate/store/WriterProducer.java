package io.flowgate.store;

import io.flowgate.config.StoreConfig;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

/** Chooses the instance writer from {@code flowgate.store.write-mode}. */
@ApplicationScoped
public class WriterProducer {

  @Produces
  @ApplicationScoped
  InstanceWriter writer(
      StoreConfig config,
      StoreBoundary boundary,
      BatchWriter batches,
      PerRequestWriter perRequest,
      MeterRegistry registry) {
    return config.writeMode() == StoreConfig.WriteMode.BATCHED
        ? new BatchedInstanceWriter(boundary.guard(), batches, config, registry)
        : perRequest;
  }
}
