package flowgate.load;

import static io.gatling.javaapi.core.CoreDsl.*;

/**
 * Ramp to saturation: the arrival rate of single-shot starts grows linearly from a low rate to a
 * rate well past what the machine can commit, so the charts show where latency bends and where
 * 429 ADMISSION_QUEUE_FULL starts.
 *
 * <p>Parameters (system properties, defaults in brackets), plus those of {@link FlowgateSimulation}:
 *
 * <ul>
 *   <li>flowgate.fromRate [20] - starts per second at the beginning
 *   <li>flowgate.toRate [3000] - starts per second at the end
 *   <li>flowgate.duration [60] - seconds of ramp
 * </ul>
 */
public class RampToSaturation extends FlowgateSimulation {
  {
    double from = doubleProp("flowgate.fromRate", 20);
    double to = doubleProp("flowgate.toRate", 3000);
    int duration = intProp("flowgate.duration", 60);
    setUp(scenario("ramp-to-saturation")
            .exec(oneShot(startRequest(), "start"))
            .injectOpen(rampUsersPerSec(from).to(to).during(duration)))
        .protocols(protocol())
        .maxDuration(duration + 30)
        .assertions(answered());
  }
}
