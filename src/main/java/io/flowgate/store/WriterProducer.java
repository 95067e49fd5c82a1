package io.flowgate.store;

import io.flowgate.config.StoreConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

/** Chooses the instance writer from {@code flowgate.store.write-mode}. */
@ApplicationScoped
public class WriterProducer {

  @Produces
  @ApplicationScoped
  InstanceWriter writer(StoreConfig config, StoreBoundary boundary, PerRequestWriter perRequest) {
    return config.writeMode() == StoreConfig.WriteMode.BATCHED
        ? new BatchedInstanceWriter(boundary, config)
        : perRequest;
  }
}
