package io.flowgate.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Records what Micrometer logs from before the application starts (a test resource starts first),
 * so a test sees the lines of the start itself; the test gets the capture in its {@link
 * WarnLogCapture} field.
 */
public class MicrometerLogResource implements QuarkusTestResourceLifecycleManager {

  private WarnLogCapture capture;

  @Override
  public Map<String, String> start() {
    capture = WarnLogCapture.open("io.micrometer");
    // Micrometer logs a repeated gauge registration at WARN once per process, then at DEBUG:
    // record those too, so the test does not depend on which start in the JVM warned first
    return Map.of(
        "quarkus.log.category.\"io.micrometer.core.instrument.MeterRegistry\".level", "DEBUG");
  }

  @Override
  public void inject(TestInjector testInjector) {
    testInjector.injectIntoFields(capture, new TestInjector.MatchesType(WarnLogCapture.class));
  }

  @Override
  public void stop() {
    capture.close();
  }
}
