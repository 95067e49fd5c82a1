package flowgate.load;

import static io.gatling.javaapi.core.CoreDsl.*;

/**
 * Overload burst: a base rate, then a burst at ten times that rate, then the base rate again.
 * Single-shot clients (no retry): shows 429 ADMISSION_QUEUE_FULL / 503 QUEUE_TIMEOUT with
 * Retry-After during the burst, and recovery afterwards. Run it with a small
 * FLOWGATE_ADMISSION_CAPACITY to make the queue bound visible.
 *
 * <p>Parameters (system properties, defaults in brackets), plus those of {@link FlowgateSimulation}:
 *
 * <ul>
 *   <li>flowgate.rate [150] - base starts per second
 *   <li>flowgate.burstFactor [10] - burst rate = rate x burstFactor
 *   <li>flowgate.before [10] - seconds at the base rate before the burst
 *   <li>flowgate.burst [10] - seconds of burst
 *   <li>flowgate.after [15] - seconds at the base rate after the burst
 * </ul>
 */
public class OverloadBurst extends FlowgateSimulation {
  {
    double rate = doubleProp("flowgate.rate", 150);
    double factor = doubleProp("flowgate.burstFactor", 10);
    int before = intProp("flowgate.before", 10);
    int burst = intProp("flowgate.burst", 10);
    int after = intProp("flowgate.after", 15);
    setUp(scenario("overload-burst")
            .exec(oneShot(startRequest(), "start"))
            .injectOpen(
                constantUsersPerSec(rate).during(before),
                constantUsersPerSec(rate * factor).during(burst),
                constantUsersPerSec(rate).during(after)))
        .protocols(protocol())
        .maxDuration(before + burst + after + 30)
        .assertions(answered());
  }
}
