package io.flowgate.worker;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;

/** {@code WAIT {seconds}}: succeeds after that many seconds, on a Vert.x timer (no thread held). */
@ApplicationScoped
public class WaitTask implements TaskPlugin {

  private final Vertx vertx;

  public WaitTask(Vertx vertx) {
    this.vertx = vertx;
  }

  @Override
  public String type() {
    return "WAIT";
  }

  @Override
  public Uni<TaskResult> run(Map<String, Object> params, Duration timeout) {
    int seconds = ((Number) params.get("seconds")).intValue();
    if (seconds == 0) {
      return Uni.createFrom().item(TaskResult.ok("waited 0s"));
    }
    return Uni.createFrom()
        .emitter(
            emitter -> {
              long timer =
                  vertx.setTimer(
                      seconds * 1000L,
                      id -> emitter.complete(TaskResult.ok("waited " + seconds + "s")));
              emitter.onTermination(() -> vertx.cancelTimer(timer));
            });
  }
}
