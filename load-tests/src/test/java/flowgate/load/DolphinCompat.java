package flowgate.load;

import static io.gatling.javaapi.core.CoreDsl.*;

/**
 * DolphinScheduler compatibility: form-encoded POST
 * /dolphinscheduler/projects/{p}/executors/start-process-instance with the {@code token} header
 * and an Idempotency-Key, as an existing DolphinScheduler client would send it; answers are
 * checked for {"code":0,"data":<instanceId>}. Clients retry 429/503/unanswered with the same key.
 *
 * <p>Parameters (system properties, defaults in brackets), plus those of {@link FlowgateSimulation}:
 *
 * <ul>
 *   <li>flowgate.rate [200] - new keys per second
 *   <li>flowgate.duration [30] - seconds
 *   <li>flowgate.retry [true] - retry 429/503/unanswered with the same key
 * </ul>
 */
public class DolphinCompat extends FlowgateSimulation {

  @Override
  protected String target() {
    return "dolphin";
  }

  {
    double rate = doubleProp("flowgate.rate", 200);
    int duration = intProp("flowgate.duration", 30);
    boolean retry = Boolean.parseBoolean(prop("flowgate.retry", "true"));
    setUp(scenario("dolphin-compat")
            .exec(retry ? retrying(dolphinRequest(), "dolphin") : oneShot(dolphinRequest(), "dolphin"))
            .injectOpen(constantUsersPerSec(rate).during(duration)))
        .protocols(protocol())
        .maxDuration(duration + 120)
        .assertions(answered(), mostlySucceeded());
  }
}
