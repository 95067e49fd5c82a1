package io.flowgate.worker;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Addresses an HTTP task may not reach, however they are spelled. */
class HttpTargetGuardTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "169.254.169.254",
        "2852039166",
        "::ffff:169.254.169.254",
        "fe80::1",
        "fd00:ec2::254",
        "100.100.100.200",
        "0.0.0.0",
        "::",
        "224.0.0.1"
      })
  void refusesLinkLocalMetadataUnspecifiedAndMulticast(String host) {
    assertThat(HttpTargetGuard.problem(host)).contains("resolves to");
  }

  @ParameterizedTest
  @ValueSource(strings = {"127.0.0.1", "10.1.2.3", "192.168.1.10", "::1", "localhost"})
  void letsOrdinaryAddressesThrough(String host) {
    assertThat(HttpTargetGuard.problem(host)).isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"no-such-host.invalid"})
  void refusesWhatDoesNotResolve(String host) {
    assertThat(HttpTargetGuard.problem(host)).contains("does not resolve");
  }
}
