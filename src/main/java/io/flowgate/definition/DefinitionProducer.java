package io.flowgate.definition;

import io.flowgate.config.HttpTaskConfig;
import io.flowgate.config.RequestConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.util.List;

/** Wires the pure definition rules with their configuration. */
@ApplicationScoped
public class DefinitionProducer {

  @Produces
  @ApplicationScoped
  TaskTypes taskTypes(HttpTaskConfig httpTask) {
    return new TaskTypes(httpTask.allowedHosts().orElse(List.of()));
  }

  @Produces
  @ApplicationScoped
  DagValidator validator(TaskTypes types, RequestConfig limits) {
    return new DagValidator(types, limits.maxParams(), limits.maxParamLength());
  }
}
