package io.flowgate.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The Helm chart lints, renders with default, dev and prod values, and rejects bad values. */
class HelmChartTest {

  static final Path CHART = Path.of("helm", "flowgate");
  static final Path PROD_VALUES = Path.of("helm", "examples", "values-prod.yaml");
  static final Path DEV_VALUES = Path.of("helm", "examples", "values-dev.yaml");
  static final Path BAD_VALUES = Path.of("src", "test", "resources", "deploy");

  static Manifests render(UnaryOperator<TemplateCommand> options) {
    TemplateCommand template =
        new Helm(CHART).template().withName("flowgate").withNamespace("flowgate");
    return Manifests.parse(options.apply(template).call());
  }

  @Test
  void lintStrictPasses() {
    assertTrue(Files.isRegularFile(CHART.resolve("values.schema.json")), "chart has a schema");
    LintResult result = new Helm(CHART).lint().strict().call();
    assertFalse(result.isFailed(), "helm lint --strict: " + result.getMessages());
    assertTrue(
        result.getMessages().stream()
            .noneMatch(m -> m.contains("[WARNING]") || m.contains("[ERROR]")),
        "helm lint --strict: " + result.getMessages());
  }

  @Test
  void defaultValuesRenderOneCombinedDeploymentWithHpaAndPdb() {
    Manifests out = render(t -> t);
    Workloads.assertWiring(out);

    JsonNode deployment = out.singleOfKind("Deployment");
    assertEquals(Set.of("api", "master", "worker"), Workloads.roles(out, deployment));
    JsonNode pod = Workloads.podSpec(deployment);
    // 10s preStop + 5s delay + 20s drain (the service defaults) + 10s margin
    assertEquals(45, pod.path("terminationGracePeriodSeconds").asInt());
    assertEquals(
        "20s",
        Workloads.setting(
                out,
                Workloads.flowgateContainer(deployment).orElseThrow(),
                "FLOWGATE_SHUTDOWN_DRAIN_PERIOD")
            .orElseThrow());

    JsonNode hpa = out.singleOfKind("HorizontalPodAutoscaler");
    assertEquals(Manifests.name(deployment), hpa.at("/spec/scaleTargetRef/name").asText());
    assertFalse(
        deployment.path("spec").has("replicas"), "the HPA owns the replica count when enabled");
    assertEquals(
        "AlwaysAllow",
        out.singleOfKind("PodDisruptionBudget").at("/spec/unhealthyPodEvictionPolicy").asText());
    assertEquals(2, out.ofKind("NetworkPolicy").size(), "every pod, and the api pods");
    assertTrue(out.ofKind("Job").isEmpty(), "migrations at start unless migration.enabled");
    assertTrue(
        pod.path("containers").path(0).path("image").asText().endsWith(":0.1.0-SNAPSHOT"),
        "appVersion tag");
    assertEquals(
        "Always",
        Workloads.flowgateContainer(deployment).orElseThrow().path("imagePullPolicy").asText(),
        "a SNAPSHOT tag is mutable: always pull it");
    assertFalse(
        deployment.at("/spec/template/metadata/annotations/checksum~1db-url").isMissingNode(),
        "the db-url Secret is part of the pods' checksum");
    assertTrue(out.ofKind("ServiceMonitor").isEmpty(), "ServiceMonitor is opt-in (needs CRD)");
    assertTrue(out.ofKind("Secret").isEmpty(), "the chart creates no credential Secret");
  }

  @Test
  void prodValuesSplitRolesIntoThreeDeployments() throws Exception {
    Manifests out = render(t -> t.withValuesFile(PROD_VALUES));
    Workloads.assertWiring(out);

    List<JsonNode> deployments = out.flowgateDeployments();
    assertEquals(
        Set.of("flowgate-api", "flowgate-master", "flowgate-worker"),
        deployments.stream().map(Manifests::name).collect(Collectors.toSet()));
    for (JsonNode d : deployments) {
      String role = Manifests.name(d).substring("flowgate-".length());
      assertEquals(Set.of(role), Workloads.roles(out, d), Manifests.name(d));
      // preStop 15s + delay 5s + drain 25s + margin 10s
      assertEquals(55, Workloads.podSpec(d).path("terminationGracePeriodSeconds").asInt());
    }
    assertTrue(Workloads.minApiReplicas(out) >= 3, "prod runs at least 3 api pods");
    assertEquals(3, out.ofKind("PodDisruptionBudget").size(), "one PDB per Deployment");
    // api on CPU (3..16), workers on their backlog through KEDA (3..24), masters fixed
    JsonNode hpa = out.singleOfKind("HorizontalPodAutoscaler");
    assertEquals("flowgate-api", hpa.at("/spec/scaleTargetRef/name").asText());
    assertEquals(16, hpa.at("/spec/maxReplicas").asInt());
    JsonNode keda = out.singleOfKind("ScaledObject");
    assertEquals("flowgate-worker", keda.at("/spec/scaleTargetRef/name").asText());
    assertEquals(24, keda.at("/spec/maxReplicaCount").asInt());
    assertEquals("prometheus", keda.at("/spec/triggers/0/type").asText());
    assertTrue(
        keda.at("/spec/triggers/0/metadata/query")
            .asText()
            .startsWith("max(flowgate_backlog_tasks_dispatched{namespace=\"flowgate\"})"),
        keda.at("/spec/triggers/0/metadata/query").asText());
    assertEquals("cpu", keda.at("/spec/triggers/1/type").asText(), "CPU trigger as the fallback");
    assertEquals(2, out.get("Deployment", "flowgate-master").at("/spec/replicas").asInt());
    out.singleOfKind("ServiceMonitor");
    assertEquals(
        "kube-prometheus-stack",
        out.singleOfKind("PrometheusRule").at("/metadata/labels/release").asText());
    Workloads.assertAlerts(out);

    // migrations: a pre-install/pre-upgrade hook (so not among the release's manifests), with the
    // owner's credentials; pods only validate. Rendered as a plain Job to look inside.
    assertTrue(out.ofKind("Job").isEmpty(), "the migration Job is a hook, not a release object");
    JsonNode job =
        render(t -> t.withValuesFile(PROD_VALUES).set("migration.helmHook", false))
            .singleOfKind("Job");
    assertTrue(job.at("/metadata/annotations/helm.sh~1hook").isMissingNode());
    JsonNode migrate = Workloads.podSpec(job).path("containers").path(0);
    assertEquals("migrate", migrate.at("/args/0").asText());
    assertEquals(
        "postgresql://flowgate-pg-rw:5432/flowgate",
        Workloads.env(migrate, "FLOWGATE_DB_URL").path("value").asText(),
        "pre-install: the chart's own Secret does not exist yet");
    assertEquals(
        "flowgate-db-owner",
        Workloads.env(migrate, "FLOWGATE_DB_PASSWORD").at("/valueFrom/secretKeyRef/name").asText());
    for (JsonNode d : deployments) {
      JsonNode c = Workloads.flowgateContainer(d).orElseThrow();
      assertEquals(
          "false", Workloads.setting(out, c, "FLOWGATE_DB_MIGRATE_AT_START").orElseThrow());
      assertEquals(
          "true", Workloads.setting(out, c, "FLOWGATE_DB_VALIDATE_AT_START").orElseThrow());
    }
    Workloads.assertConnectionBudget(out, KustomizeOverlaysTest.prodMaxConnections());
    assertEquals(
        "flowgate-pg", out.singleOfKind("ScheduledBackup").at("/spec/cluster/name").asText());

    // database.url set: the URL reaches pods through the chart's Secret, still by reference
    JsonNode api = Workloads.flowgateContainer(out.get("Deployment", "flowgate-api")).orElseThrow();
    assertEquals(
        "flowgate-db-url",
        Workloads.env(api, "FLOWGATE_DB_URL").at("/valueFrom/secretKeyRef/name").asText());
    assertEquals(
        "flowgate-db",
        Workloads.env(api, "FLOWGATE_DB_PASSWORD").at("/valueFrom/secretKeyRef/name").asText());
    assertEquals(
        "postgresql://flowgate-pg-rw:5432/flowgate",
        out.get("Secret", "flowgate-db-url").at("/stringData/url").asText());
    assertEquals(
        "http://otel-collector.observability.svc:4317",
        Workloads.setting(out, api, "QUARKUS_OTEL_EXPORTER_OTLP_ENDPOINT").orElseThrow());
    assertEquals("20000", Workloads.setting(out, api, "FLOWGATE_ADMISSION_CAPACITY").orElseThrow());
  }

  @Test
  void devValuesRunOnePodWithJaegerAndNoHpaOrPdb() {
    Manifests out = render(t -> t.withValuesFile(DEV_VALUES));
    Workloads.assertWiring(out);

    JsonNode deployment = out.flowgateDeployments().get(0);
    assertEquals(1, out.flowgateDeployments().size());
    assertEquals(1, deployment.at("/spec/replicas").asInt());
    assertTrue(out.ofKind("HorizontalPodAutoscaler").isEmpty(), "autoscaling disabled");
    assertTrue(out.ofKind("PodDisruptionBudget").isEmpty(), "pdb disabled");

    JsonNode jaegerService = out.get("Service", "flowgate-jaeger");
    assertTrue(
        jaegerService.path("spec").path("ports").findValues("port").stream()
            .anyMatch(p -> p.asInt() == 4317),
        "Jaeger receives OTLP gRPC on 4317");
    out.get("Deployment", "flowgate-jaeger");
    JsonNode c = Workloads.flowgateContainer(deployment).orElseThrow();
    assertEquals(
        "http://flowgate-jaeger:4317",
        Workloads.setting(out, c, "OTEL_EXPORTER_OTLP_ENDPOINT").orElseThrow());
  }

  @Test
  void switchesTurnHpaPdbAndNetworkPolicyOff() {
    Manifests out =
        render(
            t ->
                t.set("autoscaling.enabled", false)
                    .set("pdb.enabled", false)
                    .set("networkPolicy.enabled", false)
                    .set("replicaCount", 4));
    assertTrue(out.ofKind("HorizontalPodAutoscaler").isEmpty());
    assertTrue(out.ofKind("PodDisruptionBudget").isEmpty());
    assertTrue(out.ofKind("NetworkPolicy").isEmpty());
    assertEquals(4, out.singleOfKind("Deployment").at("/spec/replicas").asInt());
  }

  @Test
  void gracePeriodCoversALongerWorkerDrain() {
    Manifests out =
        render(
            t ->
                t.set("shutdown.workerDrainPeriodSeconds", 60)
                    .set("shutdown.preStopSleepSeconds", 5)
                    .set("shutdown.extraGraceSeconds", 2));
    Workloads.assertWiring(out);
    JsonNode deployment = out.singleOfKind("Deployment");
    // 5s preStop + max(5s delay + 20s drain, 60s worker drain) + 2s margin
    assertEquals(67, Workloads.podSpec(deployment).path("terminationGracePeriodSeconds").asInt());
    assertEquals(
        "60s", out.singleOfKind("ConfigMap").at("/data/FLOWGATE_WORKER_DRAIN_PERIOD").asText());
  }

  @Test
  void gracePeriodCoversTheDelayAndTheDrainPeriod() {
    Manifests out =
        render(
            t ->
                t.set("shutdown.drainPeriodSeconds", 45)
                    .set("shutdown.delaySeconds", 3)
                    .set("shutdown.preStopSleepSeconds", 5)
                    .set("shutdown.extraGraceSeconds", 0));
    Workloads.assertWiring(out);
    JsonNode deployment = out.singleOfKind("Deployment");
    assertEquals(53, Workloads.podSpec(deployment).path("terminationGracePeriodSeconds").asInt());
    assertEquals(
        "45s", out.singleOfKind("ConfigMap").at("/data/FLOWGATE_SHUTDOWN_DRAIN_PERIOD").asText());
    assertEquals("3s", out.singleOfKind("ConfigMap").at("/data/FLOWGATE_SHUTDOWN_DELAY").asText());
  }

  @ParameterizedTest(name = "{0} is rejected at {1}")
  @CsvSource({
    "bad-negative-replicas.yaml, /replicaCount",
    "bad-unknown-role.yaml, /roles/enabled/1",
    "bad-unknown-role-key.yaml, /roles",
    "bad-literal-password.yaml, /database",
    "bad-duration.yaml, /admission/linger",
    "bad-db-url-with-credentials.yaml, /database/url",
    "bad-extra-env-secret.yaml, /extraEnv/0/name",
    "bad-unknown-autoscaling-role.yaml, /autoscaling/roles/1",
    "bad-root.yaml, /podSecurityContext/runAsNonRoot",
    "bad-container-root.yaml, /securityContext/runAsUser",
    "bad-negative-memory.yaml, /resources/limits/memory",
    "bad-negative-role-cpu.yaml, /roles/worker/resources/requests/cpu",
    "bad-datasource-password-env.yaml, /extraEnv/0/name",
    "bad-dotted-db-password-env.yaml, /extraEnv/0/name",
    "bad-datasource-url-env.yaml, /extraEnv/0/name"
  })
  void badValuesFailTheSchema(String file, String pointer) {
    Path values = BAD_VALUES.resolve(file);
    assertTrue(Files.isRegularFile(values), values.toString());
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> render(t -> t.withValuesFile(values)));
    assertTrue(e.getMessage().contains("schema"), e.getMessage());
    assertTrue(e.getMessage().contains("'" + pointer + "'"), e.getMessage());
  }

  @ParameterizedTest(name = "{0} is refused")
  @CsvSource({
    "bad-min-above-max.yaml, 'flowgate-worker: minReplicas 8 > maxReplicas 3'",
    "bad-min-above-max-combined.yaml, 'flowgate: minReplicas 12 > maxReplicas 4'"
  })
  void minReplicasAboveMaxReplicasIsRefused(String file, String message) {
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> render(t -> t.withValuesFile(BAD_VALUES.resolve(file))));
    assertTrue(e.getMessage().contains(message), e.getMessage());
  }

  @Test
  void everyAutoscaledDeploymentRendersWithoutReplicas() {
    Manifests out = render(t -> t.withValuesFile(BAD_VALUES.resolve("all-autoscaled.yaml")));
    assertEquals(1, out.ofKind("HorizontalPodAutoscaler").size());
    assertEquals(2, out.ofKind("ScaledObject").size());
    for (JsonNode d : out.flowgateDeployments()) {
      assertTrue(Workloads.autoscaled(out, d), Manifests.name(d));
      assertFalse(d.path("spec").has("replicas"), Manifests.name(d));
    }
    Workloads.assertWiring(out);
  }

  @Test
  void perRoleSettingsReachTheirDeployment() {
    Manifests out =
        render(
            t ->
                t.withValuesFile(PROD_VALUES)
                    .set("probes.startup.failureThreshold", 300)
                    .set("image.digest", "sha256:" + "a".repeat(64)));
    JsonNode api = Workloads.flowgateContainer(out.get("Deployment", "flowgate-api")).orElseThrow();
    JsonNode worker =
        Workloads.flowgateContainer(out.get("Deployment", "flowgate-worker")).orElseThrow();
    assertEquals("10", Workloads.setting(out, api, "FLOWGATE_DB_POOL_SIZE").orElseThrow());
    assertEquals("6", Workloads.setting(out, worker, "FLOWGATE_DB_POOL_SIZE").orElseThrow());
    assertEquals(300, api.at("/startupProbe/failureThreshold").asInt());
    assertEquals(
        "registry.example.com/flowgate/flowgate@sha256:" + "a".repeat(64),
        api.path("image").asText());
    assertEquals("IfNotPresent", api.path("imagePullPolicy").asText());
    assertTrue(
        Workloads.setting(out, worker, "QUARKUS_OTEL_RESOURCE_ATTRIBUTES")
            .orElseThrow()
            .contains("flowgate.component=worker"));
  }

  @Test
  void badValuesSetOnTheCommandLineFailToo() {
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> render(t -> t.set("roles.split", true).set("roles.master.replicaCount", -2)));
    assertTrue(e.getMessage().contains("/roles/master/replicaCount"), e.getMessage());
  }
}
