package io.flowgate.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The checks every rendering of Flowgate must pass, whether it comes from the Helm chart or from a
 * kustomize overlay.
 */
final class Workloads {

  static final Set<String> KNOWN_ROLES = Set.of("api", "master", "worker");
  static final Set<String> SECRET_ENV =
      Set.of("FLOWGATE_DB_URL", "FLOWGATE_DB_USER", "FLOWGATE_DB_PASSWORD", "FLOWGATE_ADMIN_TOKEN");
  static final Set<String> DB_ENV =
      Set.of("FLOWGATE_DB_URL", "FLOWGATE_DB_USER", "FLOWGATE_DB_PASSWORD");

  /** Connections PostgreSQL keeps for superusers (its default). */
  static final int SUPERUSER_RESERVED = 3;

  /** Connections left for people and tools (psql, exporters, backups) at every maximum. */
  static final int HEADROOM = 30;

  static final Duration DEFAULT_DRAIN_PERIOD = Duration.ofSeconds(20);
  static final Duration DEFAULT_SHUTDOWN_DELAY = Duration.ofSeconds(5);

  private static final Pattern DURATION = Pattern.compile("^(\\d+)(ms|s|m|h)$");

  private Workloads() {}

  static Optional<JsonNode> flowgateContainer(JsonNode deployment) {
    for (JsonNode c : podSpec(deployment).path("containers")) {
      if ("flowgate".equals(c.path("name").asText())) {
        return Optional.of(c);
      }
    }
    return Optional.empty();
  }

  static JsonNode podSpec(JsonNode workload) {
    return workload.path("spec").path("template").path("spec");
  }

  static Map<String, String> podLabels(JsonNode workload) {
    return strings(workload.path("spec").path("template").path("metadata").path("labels"));
  }

  static Map<String, String> strings(JsonNode map) {
    Map<String, String> result = new LinkedHashMap<>();
    Iterator<Map.Entry<String, JsonNode>> it = map.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      result.put(e.getKey(), e.getValue().asText());
    }
    return result;
  }

  static boolean selects(JsonNode matchLabels, Map<String, String> labels) {
    Map<String, String> wanted = strings(matchLabels);
    return !wanted.isEmpty()
        && wanted.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
  }

  /** The env var as rendered, or null. */
  static JsonNode env(JsonNode container, String name) {
    for (JsonNode e : container.path("env")) {
      if (name.equals(e.path("name").asText())) {
        return e;
      }
    }
    return null;
  }

  /**
   * The effective value of a plain setting: an explicit env entry wins over the ConfigMaps the
   * container imports with envFrom.
   */
  static Optional<String> setting(Manifests all, JsonNode container, String name) {
    JsonNode explicit = env(container, name);
    if (explicit != null && explicit.has("value")) {
      return Optional.of(explicit.path("value").asText());
    }
    for (JsonNode from : container.path("envFrom")) {
      String cm = from.path("configMapRef").path("name").asText(null);
      if (cm != null) {
        JsonNode data = all.get("ConfigMap", cm).path("data");
        if (data.has(name)) {
          return Optional.of(data.path(name).asText());
        }
      }
    }
    return Optional.empty();
  }

  static Duration parseDuration(String text) {
    Matcher m = DURATION.matcher(text.trim());
    assertTrue(m.matches(), "not a duration the service understands: " + text);
    long n = Long.parseLong(m.group(1));
    switch (m.group(2)) {
      case "ms":
        return Duration.ofMillis(n);
      case "s":
        return Duration.ofSeconds(n);
      case "m":
        return Duration.ofMinutes(n);
      default:
        return Duration.ofHours(n);
    }
  }

  static Set<String> roles(Manifests all, JsonNode deployment) {
    JsonNode c = flowgateContainer(deployment).orElseThrow();
    String value = setting(all, c, "FLOWGATE_ROLES").orElse("api,master,worker");
    Set<String> roles = new LinkedHashSet<>();
    for (String r : value.split(",")) {
      roles.add(r.trim());
    }
    return roles;
  }

  /** Every check that must hold for each Deployment that runs Flowgate. */
  static void assertSound(Manifests all, JsonNode deployment) {
    String where = "Deployment " + Manifests.name(deployment) + ": ";
    JsonNode pod = podSpec(deployment);
    JsonNode c = flowgateContainer(deployment).orElseThrow();

    // HTTP port and the three health probes
    int httpPort = -1;
    for (JsonNode p : c.path("ports")) {
      if ("http".equals(p.path("name").asText())) {
        httpPort = p.path("containerPort").asInt();
      }
    }
    assertEquals(8080, httpPort, where + "container port 'http' must be 8080");
    assertProbe(where, c, "startupProbe", "/q/health/started");
    assertProbe(where, c, "livenessProbe", "/q/health/live");
    assertProbe(where, c, "readinessProbe", "/q/health/ready");

    // resources
    JsonNode res = c.path("resources");
    for (String key : List.of("requests/cpu", "requests/memory", "limits/memory")) {
      String[] k = key.split("/");
      assertFalse(res.path(k[0]).path(k[1]).asText("").isBlank(), where + "resources." + key);
    }
    assertEquals(
        res.path("requests").path("memory").asText(),
        res.path("limits").path("memory").asText(),
        where + "memory request == limit (the heap is a percentage of the limit)");

    // shutdown: grace >= preStop sleep + shutdown delay + drain period
    Duration drain =
        setting(all, c, "FLOWGATE_SHUTDOWN_DRAIN_PERIOD")
            .map(Workloads::parseDuration)
            .orElse(DEFAULT_DRAIN_PERIOD);
    Duration delay =
        setting(all, c, "FLOWGATE_SHUTDOWN_DELAY")
            .map(Workloads::parseDuration)
            .orElse(DEFAULT_SHUTDOWN_DELAY);
    long preStop = preStopSleepSeconds(where, c);
    assertTrue(
        pod.has("terminationGracePeriodSeconds"),
        where + "terminationGracePeriodSeconds must be explicit");
    long grace = pod.path("terminationGracePeriodSeconds").asLong();
    assertTrue(
        grace >= preStop + delay.toSeconds() + drain.toSeconds(),
        where
            + "terminationGracePeriodSeconds "
            + grace
            + " < preStop "
            + preStop
            + "s + shutdown delay "
            + delay.toSeconds()
            + "s + drain period "
            + drain.toSeconds()
            + "s");
    Duration workerDrain =
        setting(all, c, "FLOWGATE_WORKER_DRAIN_PERIOD")
            .map(Workloads::parseDuration)
            .orElse(DEFAULT_DRAIN_PERIOD);
    assertTrue(
        grace >= preStop + workerDrain.toSeconds(),
        where
            + "terminationGracePeriodSeconds "
            + grace
            + " < preStop "
            + preStop
            + "s + worker drain period "
            + workerDrain.toSeconds()
            + "s");
    assertTrue(preStop > 0, where + "preStop must wait for endpoint removal before SIGTERM");

    // security: non-root, read-only root fs, /tmp writable through an emptyDir
    assertTrue(
        pod.path("securityContext").path("runAsNonRoot").asBoolean(false)
            || c.path("securityContext").path("runAsNonRoot").asBoolean(false),
        where + "runAsNonRoot");
    assertTrue(
        c.path("securityContext").path("readOnlyRootFilesystem").asBoolean(false),
        where + "readOnlyRootFilesystem");
    assertFalse(
        c.path("securityContext").path("allowPrivilegeEscalation").asBoolean(true),
        where + "allowPrivilegeEscalation must be false");
    String tmpVolume = null;
    for (JsonNode m : c.path("volumeMounts")) {
      if ("/tmp".equals(m.path("mountPath").asText())) {
        tmpVolume = m.path("name").asText();
      }
    }
    assertNotNull(tmpVolume, where + "/tmp must be mounted (read-only root filesystem)");
    boolean emptyDir = false;
    for (JsonNode v : pod.path("volumes")) {
      if (tmpVolume.equals(v.path("name").asText()) && v.has("emptyDir")) {
        emptyDir = true;
      }
    }
    assertTrue(emptyDir, where + "/tmp must be an emptyDir");
    assertFalse(
        pod.path("enableServiceLinks").asBoolean(true),
        where + "enableServiceLinks must be false (FLOWGATE_* service env would leak in)");

    // a container never falls back to an embedded database
    assertEquals(
        Optional.of("false"),
        setting(all, c, "FLOWGATE_EMBEDDED_ENABLED"),
        where + "FLOWGATE_EMBEDDED_ENABLED must be false: no database URL, no start");
    assertEnvReferencesDefinedAbove(where, c);

    // secrets by reference only; the admin token only where the API is served
    boolean api = roles(all, deployment).contains("api");
    JsonNode token = env(c, "FLOWGATE_ADMIN_TOKEN");
    assertEquals(api, token != null, where + "FLOWGATE_ADMIN_TOKEN is mounted in api pods only");
    for (String name : api ? SECRET_ENV : DB_ENV) {
      JsonNode e = env(c, name);
      assertNotNull(e, where + name + " must be set");
      assertFalse(e.has("value"), where + name + " must not be a literal value");
      JsonNode ref = e.path("valueFrom").path("secretKeyRef");
      assertFalse(ref.path("name").asText("").isBlank(), where + name + " secretKeyRef.name");
      assertFalse(ref.path("key").asText("").isBlank(), where + name + " secretKeyRef.key");
    }
    for (JsonNode from : c.path("envFrom")) {
      String cm = from.path("configMapRef").path("name").asText(null);
      if (cm != null) {
        Map<String, String> data = strings(all.get("ConfigMap", cm).path("data"));
        for (String key : data.keySet()) {
          assertFalse(
              SECRET_ENV.contains(key) || key.contains("PASSWORD") || key.contains("TOKEN"),
              "ConfigMap " + cm + " must not carry secret setting " + key);
        }
      }
    }

    // roles
    Set<String> roles = roles(all, deployment);
    assertFalse(roles.isEmpty(), where + "FLOWGATE_ROLES");
    assertTrue(KNOWN_ROLES.containsAll(roles), where + "unknown role in " + roles);

    // the Deployment owns its pods
    assertTrue(
        selects(
            deployment.path("spec").path("selector").path("matchLabels"), podLabels(deployment)),
        where + "selector must match its pod template");
  }

  private static void assertProbe(String where, JsonNode c, String probe, String path) {
    JsonNode get = c.path(probe).path("httpGet");
    assertEquals(path, get.path("path").asText(), where + probe + " path");
    String port = get.path("port").asText();
    assertTrue("http".equals(port) || "8080".equals(port), where + probe + " port " + port);
  }

  static long preStopSleepSeconds(String where, JsonNode c) {
    JsonNode preStop = c.path("lifecycle").path("preStop");
    if (preStop.has("sleep")) {
      return preStop.path("sleep").path("seconds").asLong();
    }
    JsonNode cmd = preStop.path("exec").path("command");
    List<String> words = new ArrayList<>();
    cmd.forEach(w -> words.add(w.asText()));
    if (words.size() == 2 && words.get(0).endsWith("sleep")) {
      return Long.parseLong(words.get(1));
    }
    return fail(where + "preStop must be a sleep, got " + preStop);
  }

  /**
   * Cross-object checks: distinct Deployments never select each other's pods; the client Service
   * reaches exactly the api pods on 8080; every PDB and HPA points at an existing Deployment.
   */
  static void assertWiring(Manifests all) {
    List<JsonNode> deployments = all.flowgateDeployments();
    assertAutoscaledWithoutReplicas(all);
    assertRestricted(all);
    for (JsonNode so : all.ofKind("ScaledObject")) {
      all.get("Deployment", so.at("/spec/scaleTargetRef/name").asText());
      assertTrue(
          so.at("/spec/minReplicaCount").asInt() >= 1
              && so.at("/spec/maxReplicaCount").asInt() >= so.at("/spec/minReplicaCount").asInt(),
          "ScaledObject " + Manifests.name(so) + " bounds");
    }
    // no NetworkPolicy admits port 8080 from anywhere; pods without the api role admit only the
    // metrics namespaces
    for (JsonNode np : all.ofKind("NetworkPolicy")) {
      for (JsonNode rule : np.at("/spec/ingress")) {
        assertFalse(
            rule.path("from").isEmpty(), "NetworkPolicy " + Manifests.name(np) + " admits anyone");
      }
      for (JsonNode d : deployments) {
        boolean covers = selects(np.at("/spec/podSelector/matchLabels"), podLabels(d));
        if (covers && !roles(all, d).contains("api")) {
          for (JsonNode rule : np.at("/spec/ingress")) {
            for (JsonNode peer : rule.path("from")) {
              assertFalse(
                  peer.has("podSelector") || peer.has("ipBlock"),
                  "NetworkPolicy "
                      + Manifests.name(np)
                      + " lets client traffic reach "
                      + Manifests.name(d));
            }
          }
        }
      }
    }
    for (JsonNode a : deployments) {
      for (JsonNode b : deployments) {
        if (a != b) {
          assertFalse(
              selects(a.path("spec").path("selector").path("matchLabels"), podLabels(b)),
              "Deployment " + Manifests.name(a) + " would adopt the pods of " + Manifests.name(b));
        }
      }
    }
    for (JsonNode d : deployments) {
      assertSound(all, d);
    }

    // Client Service: port 8080 → pods running the api role, and only those.
    boolean anyApi = deployments.stream().anyMatch(d -> roles(all, d).contains("api"));
    if (anyApi) {
      JsonNode service =
          all.ofKind("Service").stream()
              .filter(s -> !"None".equals(s.path("spec").path("clusterIP").asText()))
              .filter(s -> s.path("spec").path("ports").path(0).path("port").asInt() == 8080)
              .filter(
                  s ->
                      deployments.stream()
                          .anyMatch(d -> selects(s.path("spec").path("selector"), podLabels(d))))
              .findFirst()
              .orElseThrow(() -> new AssertionError("no Service on 8080 reaches the api pods"));
      for (JsonNode d : deployments) {
        assertEquals(
            roles(all, d).contains("api"),
            selects(service.path("spec").path("selector"), podLabels(d)),
            "Service "
                + Manifests.name(service)
                + " must reach exactly the api pods; wrong for "
                + Manifests.name(d));
      }
    }

    for (JsonNode pdb : all.ofKind("PodDisruptionBudget")) {
      long matching =
          deployments.stream()
              .filter(
                  d -> selects(pdb.path("spec").path("selector").path("matchLabels"), podLabels(d)))
              .count();
      assertEquals(1, matching, "PDB " + Manifests.name(pdb) + " must cover one Deployment");
    }
    for (JsonNode hpa : all.ofKind("HorizontalPodAutoscaler")) {
      JsonNode target = hpa.path("spec").path("scaleTargetRef");
      assertEquals("Deployment", target.path("kind").asText());
      all.get("Deployment", target.path("name").asText());
      assertTrue(
          hpa.path("spec").path("minReplicas").asInt() >= 1
              && hpa.path("spec").path("maxReplicas").asInt()
                  >= hpa.path("spec").path("minReplicas").asInt(),
          "HPA " + Manifests.name(hpa) + " bounds");
    }

    for (JsonNode sm : all.ofKind("ServiceMonitor")) {
      JsonNode endpoint = sm.path("spec").path("endpoints").path(0);
      assertEquals("/q/metrics", endpoint.path("path").asText(), "ServiceMonitor path");
      JsonNode scraped =
          all.ofKind("Service").stream()
              .filter(
                  s ->
                      selects(
                          sm.path("spec").path("selector").path("matchLabels"),
                          strings(s.path("metadata").path("labels"))))
              .findFirst()
              .orElseThrow(() -> new AssertionError("ServiceMonitor selects no Service"));
      for (JsonNode d : deployments) {
        assertTrue(
            selects(scraped.path("spec").path("selector"), podLabels(d)),
            "metrics of " + Manifests.name(d) + " are not scraped");
      }
    }
  }

  private static final Pattern ENV_REFERENCE = Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)");

  /** A $(VAR) in an env value expands only if VAR is defined earlier in the list. */
  static void assertEnvReferencesDefinedAbove(String where, JsonNode container) {
    Set<String> defined = new LinkedHashSet<>();
    for (JsonNode e : container.path("env")) {
      Matcher m = ENV_REFERENCE.matcher(e.path("value").asText(""));
      while (m.find()) {
        assertTrue(
            defined.contains(m.group(1)),
            where + e.path("name").asText() + " uses $(" + m.group(1) + ") defined below it");
      }
      defined.add(e.path("name").asText());
    }
  }

  /** Every pod template meets Pod Security "restricted" (PostgreSQL and Jaeger of dev too). */
  static void assertRestricted(Manifests all) {
    for (JsonNode workload : all.all()) {
      JsonNode pod = podSpec(workload);
      if (!pod.has("containers")) {
        continue;
      }
      String where = workload.path("kind").asText() + " " + Manifests.name(workload) + ": ";
      JsonNode podContext = pod.path("securityContext");
      assertEquals(
          "RuntimeDefault",
          podContext.at("/seccompProfile/type").asText(),
          where + "seccompProfile RuntimeDefault");
      assertFalse(podContext.path("runAsUser").asInt(1) == 0, where + "pod runAsUser 0");
      for (JsonNode c : pod.path("containers")) {
        JsonNode context = c.path("securityContext");
        String name = where + c.path("name").asText() + ": ";
        assertTrue(
            podContext.path("runAsNonRoot").asBoolean(false)
                || context.path("runAsNonRoot").asBoolean(false),
            name + "runAsNonRoot");
        assertFalse(context.path("runAsUser").asInt(1) == 0, name + "runAsUser 0");
        assertFalse(
            context.path("allowPrivilegeEscalation").asBoolean(true),
            name + "allowPrivilegeEscalation must be false");
        List<String> dropped = new ArrayList<>();
        context.at("/capabilities/drop").forEach(d -> dropped.add(d.asText()));
        assertTrue(dropped.contains("ALL"), name + "capabilities must drop ALL");
        assertFalse(context.path("privileged").asBoolean(false), name + "privileged");
      }
    }
  }

  /** The replica ceiling of a Deployment: its HPA's or ScaledObject's maximum, else replicas. */
  static int maxReplicas(Manifests all, JsonNode deployment) {
    String name = Manifests.name(deployment);
    for (JsonNode hpa : all.ofKind("HorizontalPodAutoscaler")) {
      if (name.equals(hpa.at("/spec/scaleTargetRef/name").asText())) {
        return hpa.at("/spec/maxReplicas").asInt();
      }
    }
    for (JsonNode so : all.ofKind("ScaledObject")) {
      if (name.equals(so.at("/spec/scaleTargetRef/name").asText())) {
        return so.at("/spec/maxReplicaCount").asInt();
      }
    }
    return deployment.at("/spec/replicas").asInt(1);
  }

  /** Whether something autoscales the Deployment (then it must not carry replicas). */
  static boolean autoscaled(Manifests all, JsonNode deployment) {
    String name = Manifests.name(deployment);
    return all.all().stream()
        .filter(
            o ->
                Set.of("HorizontalPodAutoscaler", "ScaledObject").contains(o.path("kind").asText()))
        .anyMatch(o -> name.equals(o.at("/spec/scaleTargetRef/name").asText()));
  }

  /**
   * PostgreSQL connections one container may hold: the shared pool, the batch writer's pool where
   * the api role runs, the LISTEN connection of a master or worker, and Flyway's JDBC connections
   * (2 when migrating at start, 1 when only validating).
   */
  static int connectionsPerPod(Manifests all, JsonNode container, Set<String> roles) {
    int pool = setting(all, container, "FLOWGATE_DB_POOL_SIZE").map(Integer::parseInt).orElse(20);
    int writer =
        roles.contains("api")
            ? setting(all, container, "FLOWGATE_STORE_MAX_IN_FLIGHT")
                .map(Integer::parseInt)
                .orElse(2)
            : 0;
    int listen = roles.contains("master") || roles.contains("worker") ? 1 : 0;
    boolean migrates =
        setting(all, container, "FLOWGATE_DB_MIGRATE_AT_START")
            .map(Boolean::parseBoolean)
            .orElse(true);
    boolean validates =
        setting(all, container, "FLOWGATE_DB_VALIDATE_AT_START")
            .map(Boolean::parseBoolean)
            .orElse(false);
    int jdbc = migrates ? 2 : validates ? 1 : 0;
    return pool + writer + listen + jdbc;
  }

  /** Connections of every Deployment at its maximum, plus every migration Job. */
  static int connectionsAtMaximum(Manifests all) {
    int total = 0;
    for (JsonNode d : all.flowgateDeployments()) {
      JsonNode c = flowgateContainer(d).orElseThrow();
      total += maxReplicas(all, d) * connectionsPerPod(all, c, roles(all, d));
    }
    for (JsonNode job : all.ofKind("Job")) {
      for (JsonNode c : podSpec(job).path("containers")) {
        // the migrate mode runs the api role and Flyway
        total += connectionsPerPod(all, c, Set.of("api"));
      }
    }
    return total;
  }

  /** The budget holds: every pod at its maximum fits max_connections with room to spare. */
  static void assertConnectionBudget(Manifests all, int maxConnections) {
    int needed = connectionsAtMaximum(all);
    assertTrue(
        needed + SUPERUSER_RESERVED + HEADROOM <= maxConnections,
        "at every autoscaler's maximum the pods need "
            + needed
            + " connections; with "
            + SUPERUSER_RESERVED
            + " reserved and "
            + HEADROOM
            + " headroom that exceeds max_connections "
            + maxConnections);
  }

  /** The alerts the issue of every operator asks for, by name. */
  static final Set<String> REQUIRED_ALERTS =
      Set.of(
          "FlowgateUnaccountedRequests",
          "FlowgateStuckInstances",
          "FlowgateMasterAbsent",
          "FlowgateWorkerAbsent",
          "FlowgateClaimLagHigh",
          "FlowgateOutcomeUnknown",
          "FlowgateStoreUnavailable",
          "FlowgateClientGone");

  /**
   * Every alert has a description and an absolute runbook_url whose anchor is a heading of
   * docs/operations.md; the required alerts are all there. Returns the alert names.
   */
  static Set<String> assertAlerts(Manifests all) throws java.io.IOException {
    Set<String> anchors = new LinkedHashSet<>();
    for (String line :
        java.nio.file.Files.readAllLines(java.nio.file.Path.of("docs", "operations.md"))) {
      if (line.startsWith("#")) {
        anchors.add(
            line.replaceFirst("^#+\\s*", "")
                .toLowerCase(java.util.Locale.ROOT)
                .replaceAll("[^a-z0-9 _-]", "")
                .replace(' ', '-'));
      }
    }
    Set<String> names = new LinkedHashSet<>();
    JsonNode rule = all.singleOfKind("PrometheusRule");
    for (JsonNode group : rule.at("/spec/groups")) {
      for (JsonNode alert : group.path("rules")) {
        String name = alert.path("alert").asText();
        names.add(name);
        JsonNode annotations = alert.path("annotations");
        assertFalse(annotations.path("description").asText("").isBlank(), name + " description");
        String url = annotations.path("runbook_url").asText("");
        assertTrue(
            url.matches("https://\\S+#[a-z0-9-]+"), name + " runbook_url is absolute: " + url);
        String anchor = url.substring(url.indexOf('#') + 1);
        assertTrue(
            anchors.contains(anchor), name + ": docs/operations.md has no section #" + anchor);
        assertFalse(annotations.has("runbook"), name + ": the relative runbook annotation is gone");
      }
    }
    assertTrue(
        names.containsAll(REQUIRED_ALERTS), "alerts " + names + " lack some of " + REQUIRED_ALERTS);
    return names;
  }

  /** Every autoscaled Deployment renders without replicas: the autoscaler owns the count. */
  static void assertAutoscaledWithoutReplicas(Manifests all) {
    for (JsonNode d : all.flowgateDeployments()) {
      if (autoscaled(all, d)) {
        assertFalse(
            d.path("spec").has("replicas"),
            "Deployment " + Manifests.name(d) + " is autoscaled: every apply would reset replicas");
      }
    }
  }

  /** Number of pods the api role gets at least: fixed replicas, or the HPA's floor. */
  static int minApiReplicas(Manifests all) {
    int total = 0;
    for (JsonNode d : all.flowgateDeployments()) {
      if (!roles(all, d).contains("api")) {
        continue;
      }
      Optional<JsonNode> hpa =
          all.ofKind("HorizontalPodAutoscaler").stream()
              .filter(
                  h ->
                      Manifests.name(d)
                          .equals(h.path("spec").path("scaleTargetRef").path("name").asText()))
              .findFirst();
      total +=
          hpa.map(h -> h.path("spec").path("minReplicas").asInt())
              .orElse(d.path("spec").path("replicas").asInt(1));
    }
    return total;
  }
}
