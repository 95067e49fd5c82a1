package flowgate.load;

import static io.gatling.javaapi.core.CoreDsl.*;

import java.time.Duration;

/**
 * Paced rate: N clients, each on its own keep-alive connection, each sending one start per pace
 * interval (N / rate seconds) for a fixed duration, so the offered rate is {@code flowgate.rate}
 * whatever the answers' latency, as long as a client's answer comes within its interval. This is
 * how a high-throughput API client with a connection pool loads the service, and the method of
 * the "p99 paced at half the maximum" figure (256 connections). An answer slower than the interval
 * delays that client's next start (Gatling's pace), so a slow service gets less than the asked
 * rate rather than an ever-growing number of open connections; the achieved rate is in the report.
 *
 * <p>Unlike {@link SteadyRate} (an open model: a new virtual user per arrival), this model cannot
 * pile up thousands of connections when the service slows down, which on a machine shared with the
 * generator turns a latency figure into a measurement of the generator's file-descriptor limit.
 *
 * <p>Parameters (system properties, defaults in brackets), plus those of {@link FlowgateSimulation}:
 *
 * <ul>
 *   <li>flowgate.rate [200] - starts per second, all clients together
 *   <li>flowgate.connections [256] - clients, one keep-alive connection each
 *   <li>flowgate.duration [60] - seconds of paced load
 * </ul>
 */
public class PacedRate extends FlowgateSimulation {
  {
    double rate = doubleProp("flowgate.rate", 200);
    int connections = intProp("flowgate.connections", 256);
    int duration = intProp("flowgate.duration", 60);
    if (rate <= 0 || connections <= 0 || duration <= 0) {
      throw new IllegalArgumentException(
          "flowgate.rate, flowgate.connections and flowgate.duration must be positive");
    }
    Duration interval = Duration.ofNanos(Math.round(connections * 1e9 / rate));
    System.out.println(
        "flowgate: " + connections + " clients, one start each every " + interval.toMillis()
            + " ms: " + rate + " starts/s asked");
    setUp(scenario("paced-rate")
            // exitASAP=false: a client never leaves the loop between a request and its record
            .during(Duration.ofSeconds(duration), false)
            .on(pace(interval).exec(oneShot(startRequest(), "start")))
            // the clients' first starts spread over a second, not all in the first instant
            .injectOpen(rampUsers(connections).during(Duration.ofSeconds(1))))
        .protocols(closedProtocol())
        .maxDuration(Duration.ofSeconds(duration + 30))
        .assertions(answered(), mostlySucceeded());
  }
}
