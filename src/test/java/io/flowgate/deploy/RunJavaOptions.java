package io.flowgate.deploy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The JVM options the base image's entry script ({@code /opt/jboss/container/java/run/run-java.sh}
 * of ubi9/openjdk-17-runtime) builds from its environment, reproduced here because no container
 * runtime is available to the tests: {@code java-default-options} emits the initial and maximum RAM
 * percentages, the collector ({@code GC_CONTAINER_OPTIONS}, default {@code -XX:+UseParallelGC}),
 * the heap-free ratios and {@code -XX:+ExitOnOutOfMemoryError}; {@code run-java.sh} appends {@code
 * JAVA_OPTS_APPEND}, unless {@code JAVA_OPTS} replaces the whole line.
 */
final class RunJavaOptions {

  private RunJavaOptions() {}

  static List<String> of(Map<String, String> env) {
    if (env.containsKey("JAVA_OPTS")) {
      return words(env.get("JAVA_OPTS"));
    }
    List<String> options = new ArrayList<>();
    String initial = env.getOrDefault("JAVA_INITIAL_MEM_RATIO", "");
    if (!initial.isBlank()) {
      options.add("-XX:InitialRAMPercentage=" + percent(initial));
    }
    String max = env.getOrDefault("JAVA_MAX_MEM_RATIO", "");
    if (!"0".equals(max)) {
      options.add("-XX:MaxRAMPercentage=" + (max.isBlank() ? "50.0" : percent(max)));
    }
    options.addAll(words(env.getOrDefault("GC_CONTAINER_OPTIONS", "-XX:+UseParallelGC")));
    options.add("-XX:MinHeapFreeRatio=" + env.getOrDefault("GC_MIN_HEAP_FREE_RATIO", "10"));
    options.add("-XX:MaxHeapFreeRatio=" + env.getOrDefault("GC_MAX_HEAP_FREE_RATIO", "20"));
    options.add("-XX:GCTimeRatio=" + env.getOrDefault("GC_TIME_RATIO", "4"));
    options.add(
        "-XX:AdaptiveSizePolicyWeight=" + env.getOrDefault("GC_ADAPTIVE_SIZE_POLICY_WEIGHT", "90"));
    options.add("-XX:+ExitOnOutOfMemoryError");
    options.addAll(words(env.getOrDefault("JAVA_OPTS_APPEND", "")));
    return options;
  }

  // printf "%.0f.0": the script rounds the ratio to a whole number
  private static String percent(String ratio) {
    return Math.round(Double.parseDouble(ratio)) + ".0";
  }

  private static List<String> words(String text) {
    return Arrays.stream(text.trim().split("\\s+")).filter(w -> !w.isEmpty()).toList();
  }
}
