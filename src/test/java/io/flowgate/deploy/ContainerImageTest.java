package io.flowgate.deploy;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The Dockerfile builds the fast-jar layout as a non-root image sized from container memory. */
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

  @Test
  void heapIsAPercentageOfTheContainerLimit() throws IOException {
    String text = String.join("\n", instructions());
    Matcher m = Pattern.compile("-XX:MaxRAMPercentage=(\\d+(\\.\\d+)?)").matcher(text);
    assertTrue(m.find(), "-XX:MaxRAMPercentage must be set");
    double pct = Double.parseDouble(m.group(1));
    assertTrue(pct >= 50 && pct <= 85, "MaxRAMPercentage " + pct + " leaves no off-heap room");
    assertFalse(text.matches("(?s).*-Xmx\\d.*"), "no fixed -Xmx: size from the container limit");
    assertTrue(text.contains("-XX:+ExitOnOutOfMemoryError"));
  }

  @Test
  void jibExtensionIsOnTheBuild() throws IOException {
    String pom = Files.readString(Path.of("pom.xml"));
    assertTrue(
        pom.contains("<artifactId>quarkus-container-image-jib</artifactId>"),
        "daemonless image build: ./mvnw package -Dquarkus.container-image.build=true");
  }
}
