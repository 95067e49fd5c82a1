package flowgate.load;

import static io.gatling.javaapi.core.CoreDsl.*;

/**
 * Steady rate: an open model of single-shot starts at a constant arrival rate.
 *
 * <p>Parameters (system properties, defaults in brackets), plus those of {@link FlowgateSimulation}:
 *
 * <ul>
 *   <li>flowgate.rate [200] - starts per second
 *   <li>flowgate.duration [60] - seconds
 * </ul>
 */
public class SteadyRate extends FlowgateSimulation {
  {
    double rate = doubleProp("flowgate.rate", 200);
    int duration = intProp("flowgate.duration", 60);
    setUp(scenario("steady-rate")
            .exec(oneShot(startRequest(), "start"))
            .injectOpen(constantUsersPerSec(rate).during(duration)))
        .protocols(protocol())
        .maxDuration(duration + 30)
        .assertions(answered(), mostlySucceeded());
  }
}
