package flowgate.load;

import static io.gatling.javaapi.core.CoreDsl.*;

import io.gatling.javaapi.core.ScenarioBuilder;
import java.time.Duration;

/**
 * Admission benchmark: a closed model of N clients, each sending one start (or echo) after the
 * other with a fresh Idempotency-Key, for a fixed duration. Measures durable starts/s and p50/p99
 * at a given concurrency. The write mode (batched / per-request) and tracing are server settings:
 * load-tests/scripts/admission-benchmark.sh restarts the service for each and runs this once per
 * (mode, concurrency, target).
 *
 * <p>Parameters (system properties, defaults in brackets), plus those of {@link FlowgateSimulation}:
 *
 * <ul>
 *   <li>flowgate.concurrency [64] - concurrent clients (64 and 256 in the benchmark)
 *   <li>flowgate.duration [30] - seconds of load after the ramp
 *   <li>flowgate.rampSeconds [3] - seconds over which the clients start
 *   <li>flowgate.target [start] - start (durable starts) or echo (POST /bench/echo, HTTP ceiling)
 *  * </ul>
 */
public class AdmissionBenchmark extends FlowgateSimulation {

  private static final String TARGET = prop("flowgate.target", "start");

  @Override
  protected String target() {
    return TARGET;
  }

  {
    int concurrency = intProp("flowgate.concurrency", 64);
    Duration duration = secondsProp("flowgate.duration", 30);
    int ramp = intProp("flowgate.rampSeconds", 3);
    boolean echo = "echo".equals(TARGET);
    ScenarioBuilder scn =
        scenario("admission-" + TARGET + "-c" + concurrency)
            // exitASAP=false: a client never leaves the loop between a request and its record
            .during(duration, false)
            .on(echo ? oneShot(echoRequest(), "echo") : oneShot(startRequest(), "start"));
    // each client keeps its own keep-alive connection (closed model)
    setUp(scn.injectOpen(rampUsers(concurrency).during(Math.max(ramp, 1))))
        .protocols(closedProtocol())
        .maxDuration(duration.plusSeconds(ramp + 30))
        .assertions(answered(), mostlySucceeded());
  }
}
