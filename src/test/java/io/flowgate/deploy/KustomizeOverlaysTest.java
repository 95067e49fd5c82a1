package io.flowgate.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The kustomize overlays render with kubectl and pass the same checks as the Helm chart. */
class KustomizeOverlaysTest {

  static final Path OVERLAYS = Path.of("k8s", "overlays");

  @BeforeAll
  static void kubectlAvailable() {
    assumeTrue(
        kubectlWorks(),
        "kubectl is not on the PATH: skipping the kustomize overlay checks"
            + " (install kubectl >= 1.27 to run them)");
  }

  static boolean kubectlWorks() {
    try {
      Process p =
          new ProcessBuilder("kubectl", "version", "--client").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  static Manifests kustomize(String overlay) throws IOException, InterruptedException {
    Path dir = OVERLAYS.resolve(overlay);
    assertTrue(Files.isRegularFile(dir.resolve("kustomization.yaml")), dir.toString());
    Path err = Files.createTempFile("kustomize", ".err");
    try {
      Process p =
          new ProcessBuilder("kubectl", "kustomize", dir.toString())
              .redirectError(err.toFile())
              .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(p.waitFor(60, TimeUnit.SECONDS), "kubectl kustomize did not finish");
      assertEquals(
          0,
          p.exitValue(),
          "kubectl kustomize " + dir + ": " + Files.readString(err, StandardCharsets.UTF_8));
      return Manifests.parse(out);
    } finally {
      Files.deleteIfExists(err);
    }
  }

  /** max_connections of the prod CloudNativePG cluster, which the Helm prod values share. */
  static int prodMaxConnections() throws IOException {
    JsonNode cluster =
        Manifests.parse(Files.readString(OVERLAYS.resolve("prod").resolve("cnpg-cluster.yaml")))
            .singleOfKind("Cluster");
    return Integer.parseInt(cluster.at("/spec/postgresql/parameters/max_connections").asText());
  }

  @Test
  void devOverlayRunsOneCombinedPodWithPostgresAndJaeger() throws Exception {
    Manifests out = kustomize("dev");
    Workloads.assertWiring(out);

    List<JsonNode> deployments = out.flowgateDeployments();
    assertEquals(1, deployments.size());
    JsonNode flowgate = deployments.get(0);
    assertEquals(1, flowgate.at("/spec/replicas").asInt());
    assertEquals(Set.of("api", "master", "worker"), Workloads.roles(out, flowgate));
    assertTrue(out.ofKind("HorizontalPodAutoscaler").isEmpty(), "no HPA for one dev replica");
    assertEquals(
        "restricted",
        out.singleOfKind("Namespace")
            .at("/metadata/labels/pod-security.kubernetes.io~1enforce")
            .asText());
    String configMap = Manifests.name(out.singleOfKind("ConfigMap"));
    assertTrue(
        configMap.matches("flowgate-config-[a-z0-9]{10}"),
        "hash-suffixed ConfigMap, so that an edit rolls the pods: " + configMap);
    assertTrue(out.ofKind("PodDisruptionBudget").isEmpty(), "no PDB for one dev replica");

    // PostgreSQL 15 StatefulSet, credentials from the same Secret the app reads
    JsonNode postgres = out.singleOfKind("StatefulSet");
    JsonNode pg = Workloads.podSpec(postgres).path("containers").path(0);
    assertTrue(pg.path("image").asText().startsWith("postgres:15"), pg.path("image").asText());
    JsonNode app = Workloads.flowgateContainer(flowgate).orElseThrow();
    String dbSecret =
        Workloads.env(app, "FLOWGATE_DB_PASSWORD").at("/valueFrom/secretKeyRef/name").asText();
    assertEquals(
        dbSecret,
        Workloads.env(pg, "POSTGRES_PASSWORD").at("/valueFrom/secretKeyRef/name").asText());
    JsonNode secret = out.get("Secret", dbSecret);
    String url = secret.at("/stringData/url").asText();
    assertTrue(
        url.startsWith("postgresql://" + Manifests.name(out.get("Service", "flowgate-postgres"))),
        url);
    out.get(
        "Secret",
        Workloads.env(app, "FLOWGATE_ADMIN_TOKEN").at("/valueFrom/secretKeyRef/name").asText());

    // Jaeger all-in-one receiving OTLP on 4317, and the app exporting to it
    JsonNode jaeger = out.get("Deployment", "jaeger");
    assertTrue(
        Workloads.podSpec(jaeger)
            .path("containers")
            .path(0)
            .path("image")
            .asText()
            .startsWith("jaegertracing/all-in-one"));
    assertTrue(
        out.get("Service", "jaeger").path("spec").path("ports").findValues("port").stream()
            .anyMatch(p -> p.asInt() == 4317));
    assertEquals(
        "http://jaeger:4317",
        Workloads.setting(out, app, "OTEL_EXPORTER_OTLP_ENDPOINT").orElseThrow());
    for (JsonNode o : out.all()) {
      if (!"Namespace".equals(o.path("kind").asText())) {
        assertEquals("flowgate-dev", o.at("/metadata/namespace").asText(), Manifests.name(o));
      }
    }
  }

  @Test
  void prodOverlaySplitsRolesAndUsesCloudNativePg() throws Exception {
    Manifests out = kustomize("prod");
    Workloads.assertWiring(out);

    List<JsonNode> deployments = out.flowgateDeployments();
    assertEquals(
        Set.of(Set.of("api"), Set.of("master"), Set.of("worker")),
        deployments.stream().map(d -> Workloads.roles(out, d)).collect(Collectors.toSet()),
        "one Deployment per role");
    assertTrue(Workloads.minApiReplicas(out) >= 3, "prod runs at least 3 api pods");
    for (JsonNode d : deployments) {
      assertTrue(
          Workloads.autoscaled(out, d) || d.at("/spec/replicas").asInt() >= 2,
          Manifests.name(d) + " replicas");
      assertFalse(
          Workloads.flowgateContainer(d).orElseThrow().path("image").asText().endsWith("SNAPSHOT"),
          "prod pins a released image");
    }
    assertEquals(3, out.ofKind("PodDisruptionBudget").size(), "one PDB per Deployment");
    for (JsonNode pdb : out.ofKind("PodDisruptionBudget")) {
      assertEquals("AlwaysAllow", pdb.at("/spec/unhealthyPodEvictionPolicy").asText());
    }
    JsonNode hpa = out.singleOfKind("HorizontalPodAutoscaler");
    assertEquals("flowgate", hpa.at("/spec/scaleTargetRef/name").asText());
    JsonNode keda = out.singleOfKind("ScaledObject");
    assertEquals("flowgate-worker", keda.at("/spec/scaleTargetRef/name").asText());
    assertEquals("prometheus", keda.at("/spec/triggers/0/type").asText());
    assertTrue(
        keda.at("/spec/triggers/0/metadata/query")
            .asText()
            .contains("flowgate_backlog_tasks_dispatched"));
    assertEquals("cpu", keda.at("/spec/triggers/1/type").asText(), "CPU trigger as the fallback");
    assertEquals(2, out.get("Deployment", "flowgate-master").at("/spec/replicas").asInt());
    assertEquals(
        "kube-prometheus-stack",
        out.singleOfKind("ServiceMonitor").at("/metadata/labels/release").asText());
    assertEquals(
        "kube-prometheus-stack",
        out.singleOfKind("PrometheusRule").at("/metadata/labels/release").asText());
    assertEquals(2, out.ofKind("NetworkPolicy").size(), "every pod, and the api pods");
    assertEquals(
        Workloads.assertAlerts(out),
        Workloads.assertAlerts(
            HelmChartTest.render(t -> t.withValuesFile(HelmChartTest.PROD_VALUES))),
        "kustomize and Helm ship the same alerts");

    // Database: CloudNativePG, bootstrapped from the Secret the Deployments read; no in-cluster
    // StatefulSet, and no credential Secret committed to the overlay.
    JsonNode cluster = out.singleOfKind("Cluster");
    assertTrue(cluster.path("apiVersion").asText().startsWith("postgresql.cnpg.io/"));
    assertTrue(cluster.at("/spec/instances").asInt() >= 3);
    assertTrue(out.ofKind("StatefulSet").isEmpty());
    assertTrue(out.ofKind("Secret").isEmpty(), "prod Secrets are created out of band");
    JsonNode app = Workloads.flowgateContainer(deployments.get(0)).orElseThrow();
    // the service logs in as flowgate_app (managed role); only the migration Job as the owner
    assertEquals(
        cluster.at("/spec/managed/roles/0/passwordSecret/name").asText(),
        Workloads.env(app, "FLOWGATE_DB_PASSWORD").at("/valueFrom/secretKeyRef/name").asText());
    JsonNode job = out.get("Job", "flowgate-migrate");
    JsonNode migrate = Workloads.podSpec(job).path("containers").path(0);
    assertEquals("migrate", migrate.at("/args/0").asText());
    assertEquals(
        cluster.at("/spec/bootstrap/initdb/secret/name").asText(),
        Workloads.env(migrate, "FLOWGATE_DB_PASSWORD").at("/valueFrom/secretKeyRef/name").asText());
    assertTrue(
        migrate.path("image").asText().startsWith("registry.example.com/flowgate/flowgate:"),
        "the Job runs the release image");
    for (JsonNode d : deployments) {
      JsonNode c = Workloads.flowgateContainer(d).orElseThrow();
      assertEquals(
          "false", Workloads.setting(out, c, "FLOWGATE_DB_MIGRATE_AT_START").orElseThrow());
    }

    // backups: WAL archiving and base backups to an object store, nightly, with retention
    assertTrue(
        cluster.at("/spec/backup/barmanObjectStore/destinationPath").asText().startsWith("s3://"));
    assertFalse(cluster.at("/spec/backup/retentionPolicy").asText("").isBlank());
    assertEquals(
        Manifests.name(cluster),
        out.singleOfKind("ScheduledBackup").at("/spec/cluster/name").asText());

    // connections at every autoscaler's maximum fit the cluster's max_connections
    Workloads.assertConnectionBudget(
        out, cluster.at("/spec/postgresql/parameters/max_connections").asInt());

    String otlp = Workloads.setting(out, app, "OTEL_EXPORTER_OTLP_ENDPOINT").orElseThrow();
    assertTrue(otlp.contains("otel-collector") && otlp.endsWith(":4317"), otlp);
  }
}
