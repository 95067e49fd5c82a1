package flowgate.load;

import static io.gatling.javaapi.core.CoreDsl.*;

/**
 * Soak: a moderate constant rate of retrying clients for a long, bounded time, to catch leaks,
 * growing latency and slow drift in the accounting metrics. Default 10 minutes; pass
 * -Dflowgate.duration=60 for a short run.
 *
 * <p>Parameters (system properties, defaults in brackets), plus those of {@link FlowgateSimulation}:
 *
 * <ul>
 *   <li>flowgate.rate [100] - new keys per second
 *   <li>flowgate.duration [600] - seconds
 * </ul>
 */
public class Soak extends FlowgateSimulation {
  {
    double rate = doubleProp("flowgate.rate", 100);
    int duration = intProp("flowgate.duration", 600);
    setUp(scenario("soak")
            .exec(retrying(startRequest(), "start"))
            .injectOpen(constantUsersPerSec(rate).during(duration)))
        .protocols(protocol())
        .maxDuration(duration + 120)
        .assertions(answered(), mostlySucceeded());
  }
}
