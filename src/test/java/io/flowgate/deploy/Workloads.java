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

    // secrets by reference only
    for (String name : SECRET_ENV) {
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
