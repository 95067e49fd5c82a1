package io.flowgate.definition;

import io.flowgate.config.RequestConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Wires the pure definition rules with their configuration. */
@ApplicationScoped
public class DefinitionProducer {

  @Produces
  @ApplicationScoped
  TaskTypes taskTypes(
      @ConfigProperty(name = "flowgate.http-task.allowed-hosts") Optional<List<String>> allowed) {
    return new TaskTypes(allowed.orElse(List.of()));
  }

  @Produces
  @ApplicationScoped
  DagValidator validator(TaskTypes types, RequestConfig limits) {
    return new DagValidator(types, limits.maxParams(), limits.maxParamLength());
  }
}
