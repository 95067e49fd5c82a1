package flowgate.load;

import static io.gatling.javaapi.core.CoreDsl.*;

/**
 * Retry storm: an arrival rate above what the service can commit, where every client retries 429,
 * 503 and unanswered requests (timeouts, refused or reset connections) with the same
 * Idempotency-Key, honouring Retry-After (capped at flowgate.maxRetryAfterS, plus jitter), at most
 * flowgate.maxAttempts attempts. The fault scripts use it too (a service restart mid-run is then
 * retried through). The audit then checks that retries never produced a second instance.
 *
 * <p>Parameters (system properties, defaults in brackets), plus those of {@link FlowgateSimulation}:
 *
 * <ul>
 *   <li>flowgate.rate [600] - new keys per second (the retries come on top)
 *   <li>flowgate.duration [30] - seconds of arrivals; retries may go on up to
 *       maxAttempts x (maxRetryAfterS + request timeout) after it
 *   <li>flowgate.maxAttempts [6], flowgate.maxRetryAfterS [5] - see {@link FlowgateSimulation}
 * </ul>
 */
public class RetryStorm extends FlowgateSimulation {
  {
    double rate = doubleProp("flowgate.rate", 600);
    int duration = intProp("flowgate.duration", 30);
    long tail = (long) MAX_ATTEMPTS * (MAX_RETRY_AFTER_S + REQUEST_TIMEOUT_MS / 1000 + 1);
    setUp(scenario("retry-storm")
            .exec(retrying(startRequest(), "start"))
            .injectOpen(constantUsersPerSec(rate).during(duration)))
        .protocols(protocol())
        .maxDuration(duration + tail)
        .assertions(answered());
  }
}
