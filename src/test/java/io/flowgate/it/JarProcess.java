package io.flowgate.it;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The packaged jar run as a person runs it, {@code java -jar}, its output to one file. */
final class JarProcess {

  private JarProcess() {}

  /** Starts the jar with {@code environment} added to this process's own. */
  static Process start(Path output, Map<String, String> environment) throws IOException {
    ProcessBuilder jar =
        new ProcessBuilder(
                List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-jar",
                    Path.of("target", "quarkus-app", "quarkus-run.jar")
                        .toAbsolutePath()
                        .toString()))
            .redirectErrorStream(true)
            .redirectOutput(output.toFile());
    jar.environment().putAll(environment);
    return jar.start();
  }
}
