package io.flowgate.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** A rendered multi-document Kubernetes manifest, parsed into one tree per object. */
final class Manifests {

  private static final YAMLMapper YAML = new YAMLMapper();

  private final List<JsonNode> objects;

  private Manifests(List<JsonNode> objects) {
    this.objects = List.copyOf(objects);
  }

  static Manifests parse(String multiDocumentYaml) {
    List<JsonNode> objects = new ArrayList<>();
    try (MappingIterator<JsonNode> docs =
        YAML.readerFor(JsonNode.class).readValues(multiDocumentYaml)) {
      while (docs.hasNextValue()) {
        JsonNode doc = docs.nextValue();
        if (doc != null && doc.isObject() && doc.has("kind")) {
          objects.add(doc);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("rendered output is not valid YAML", e);
    }
    return new Manifests(objects);
  }

  List<JsonNode> all() {
    return objects;
  }

  List<JsonNode> ofKind(String kind) {
    return objects.stream()
        .filter(o -> kind.equals(o.path("kind").asText()))
        .collect(Collectors.toList());
  }

  Optional<JsonNode> find(String kind, String name) {
    return ofKind(kind).stream().filter(o -> name.equals(name(o))).findFirst();
  }

  JsonNode get(String kind, String name) {
    return find(kind, name)
        .orElseThrow(
            () -> new AssertionError("no " + kind + " named " + name + " in " + summary()));
  }

  /** The Deployments that run the Flowgate container (not Jaeger, not PostgreSQL). */
  List<JsonNode> flowgateDeployments() {
    List<JsonNode> result =
        ofKind("Deployment").stream()
            .filter(d -> Workloads.flowgateContainer(d).isPresent())
            .collect(Collectors.toList());
    assertTrue(!result.isEmpty(), "no Deployment runs the flowgate container: " + summary());
    return result;
  }

  JsonNode singleOfKind(String kind) {
    List<JsonNode> found = ofKind(kind);
    assertEquals(1, found.size(), "expected exactly one " + kind + " in " + summary());
    return found.get(0);
  }

  String summary() {
    return objects.stream()
        .map(o -> o.path("kind").asText() + "/" + name(o))
        .collect(Collectors.joining(", ", "[", "]"));
  }

  static String name(JsonNode object) {
    return object.path("metadata").path("name").asText();
  }
}
