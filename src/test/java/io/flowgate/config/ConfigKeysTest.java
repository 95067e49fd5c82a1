package io.flowgate.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.quarkus.runtime.configuration.DurationConverter;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.smallrye.config.ConfigMappings;
import io.smallrye.config.ConfigValidationException;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.junit.jupiter.api.Test;

/**
 * The {@code flowgate.*} keys are checked against {@link FlowgateConfig} the way Quarkus checks
 * them at start: the shipped application.properties over the mapping, plus the keys under test.
 */
class ConfigKeysTest {

  private static final Pattern ENV_NAME = Pattern.compile("\\bFLOWGATE_[A-Z0-9_]*[A-Z0-9]\\b");

  @Test
  void aMisspeltKeyFailsTheStartWithItsName() {
    assertThatThrownBy(() -> build(props(Map.of("flowgate.admision.capacity", "5"))))
        .isInstanceOf(ConfigValidationException.class)
        .hasMessageContaining("flowgate.admision.capacity");
  }

  @Test
  void aKeyUnderAKnownGroupThatTheGroupDoesNotDeclareFailsTheStart() {
    assertThatThrownBy(() -> build(props(Map.of("flowgate.store.max-batches", "5"))))
        .isInstanceOf(ConfigValidationException.class)
        .hasMessageContaining("flowgate.store.max-batches");
  }

  @Test
  void everyFlowgateVariableTheManifestsSetNamesADeclaredKey() throws IOException {
    Set<String> declared =
        ConfigMappings.getProperties(ConfigMappings.ConfigClass.configClass(FlowgateConfig.class))
            .keySet()
            .stream()
            .map(name -> name.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_"))
            .collect(Collectors.toSet());
    Set<String> used = new TreeSet<>();
    for (Path root : List.of(Path.of("helm"), Path.of("k8s"))) {
      try (Stream<Path> files = Files.walk(root)) {
        for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).toList()) {
          Matcher m = ENV_NAME.matcher(Files.readString(file));
          while (m.find()) {
            used.add(m.group());
          }
        }
      }
    }
    // names Kubernetes' service links would inject, named in comments that explain why they are off
    used.removeAll(Set.of("FLOWGATE_PORT", "FLOWGATE_SERVICE_HOST"));
    assertThat(used).contains("FLOWGATE_STORE_MAX_BATCH", "FLOWGATE_DB_URL");
    // the platform ignores environment variables that match no key: a misspelt one would be lost
    assertThat(declared).containsAll(used);
  }

  @Test
  void theShippedKeysAndTheirEnvironmentNamesMapOntoTheGroups() {
    ConfigSource env =
        new EnvConfigSource(
            Map.of(
                "FLOWGATE_STORE_MAX_BATCH", "64",
                "FLOWGATE_WORKER_DRAIN_PERIOD", "7s",
                "FLOWGATE_EMBEDDED_ENABLED", "false",
                "FLOWGATE_DB_POOL_SIZE", "9"),
            300);
    FlowgateConfig config =
        build(
                env,
                props(
                    Map.of(
                        "flowgate.db.url", "postgresql://127.0.0.1:5432/flowgate",
                        "flowgate.definition.cache-ttl", "3s",
                        "flowgate.http-task.allowed-hosts", "a.example,b.example",
                        "flowgate.auth.failure-limit.burst", "7",
                        "flowgate.admin-token", "secret")))
            .getConfigMapping(FlowgateConfig.class);
    assertThat(config.store().maxBatch()).isEqualTo(64);
    assertThat(config.engine().worker().drainPeriod()).isEqualTo(Duration.ofSeconds(7));
    assertThat(config.embedded().enabled()).isFalse();
    assertThat(config.db().poolSize()).isEqualTo(9);
    assertThat(config.db().url()).contains("postgresql://127.0.0.1:5432/flowgate");
    assertThat(config.definition().cacheTtl()).isEqualTo(Duration.ofSeconds(3));
    assertThat(config.httpTask().allowedHosts()).contains(List.of("a.example", "b.example"));
    assertThat(config.security().failureLimit().burst()).isEqualTo(7);
    assertThat(config.security().adminToken()).contains("secret");
  }

  @Test
  void everyTestProfileUsesOnlyKnownKeys() throws Exception {
    var profiles =
        new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.ONLY_INCLUDE_TESTS)
                .importPackages("io.flowgate")
                .stream()
                .filter(c -> c.isAssignableTo(QuarkusTestProfile.class) && !c.isInterface())
                .map(JavaClass::reflect)
                .toList();
    assertThat(profiles).hasSizeGreaterThan(5);
    for (Class<?> profile : profiles) {
      Map<String, String> overrides =
          ((QuarkusTestProfile) profile.getDeclaredConstructor().newInstance())
              .getConfigOverrides();
      build(props(overrides)).getConfigMapping(FlowgateConfig.class);
    }
  }

  private static ConfigSource props(Map<String, String> values) {
    return new PropertiesConfigSource(new HashMap<>(values), "under test", 400);
  }

  private static SmallRyeConfig build(ConfigSource... sources) {
    URL shipped = ConfigKeysTest.class.getResource("/application.properties");
    try {
      return new SmallRyeConfigBuilder()
          .withProfile("test")
          .withSources(new PropertiesConfigSource(shipped, 250))
          .withSources(sources)
          .withConverter(Duration.class, 200, new DurationConverter())
          .withMapping(FlowgateConfig.class)
          .build();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
