package io.flowgate.worker;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;

/** {@code NOOP}: succeeds at once. */
@ApplicationScoped
public class NoopTask implements TaskPlugin {

  @Override
  public String type() {
    return "NOOP";
  }

  @Override
  public Uni<TaskResult> run(Map<String, Object> params, Duration timeout) {
    return Uni.createFrom().item(TaskResult.ok("noop"));
  }
}
