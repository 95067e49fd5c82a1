package io.flowgate.api;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowgate.api.BatchStartResource.BatchRequest;
import io.flowgate.definition.DagValidator;
import io.flowgate.definition.TaskTypes;
import io.flowgate.definition.WorkflowSpec;
import io.flowgate.dolphinscheduler.FormBody;
import io.flowgate.problem.FlowgateException;
import io.flowgate.support.Fuzz;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The parsing rules alone, without a server: for any input, the strict JSON reader, the form reader
 * and the DAG validator either accept it or fail with the one exception type that becomes a 4xx
 * (JsonProcessingException, FormBody.Malformed, FlowgateException); anything else would be a 500.
 * Seeded like {@link StartFuzzTest}.
 */
class StrictParsingFuzzTest {

  static final int TRIES = 3_000;

  private long seed;
  private Fuzz fuzz;
  private final ObjectMapper json = new ObjectMapper();
  private final DagValidator validator = new DagValidator(new TaskTypes(List.of()), 100, 4096);

  StrictParsingFuzzTest() {
    StrictJson.configure(json, 32);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("io.flowgate.support.Fuzz#seeds")
  void startAndBatchBodiesParseOrFailAsClientErrors(long seed) {
    seeded(seed);
    int read = 0;
    for (int i = 0; i < TRIES; i++) {
      String body = fuzz.startBody();
      read += readsOrRefuses(body, StartRequest.class, i) == null ? 0 : 1;
      readsOrRefuses("{\"items\":[" + body + "]}", BatchRequest.class, i);
    }
    assertThat(read).as("seed %d: some bodies are valid", seed).isPositive();
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("io.flowgate.support.Fuzz#seeds")
  void workflowDefinitionsParseAndValidateOrFailAsClientErrors(long seed) {
    seeded(seed);
    int valid = 0;
    for (int i = 0; i < TRIES; i++) {
      String body = fuzz.workflowBody();
      WorkflowSpec spec = readsOrRefuses(body, WorkflowSpec.class, i);
      if (spec != null) {
        try {
          validator.validate(spec);
          valid++;
        } catch (FlowgateException refused) {
          assertThat(refused.code().status()).isBetween(400, 499);
        } catch (RuntimeException e) {
          throw new AssertionError("seed " + seed + ", try " + i + ": " + body, e);
        }
      }
    }
    assertThat(valid).as("seed %d: some definitions are valid", seed).isPositive();
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("io.flowgate.support.Fuzz#seeds")
  void formsParseOrFailAsClientErrors(long seed) {
    seeded(seed);
    for (int i = 0; i < TRIES; i++) {
      byte[] body = fuzz.oneIn(3) ? fuzz.bytes() : fuzz.form(i).getBytes(UTF_8);
      try {
        FormBody.parse(body);
      } catch (FormBody.Malformed refused) {
        assertThat(refused.getMessage()).startsWith("a form field");
      } catch (RuntimeException e) {
        throw new AssertionError("seed " + seed + ", try " + i, e);
      }
    }
  }

  private void seeded(long seed) {
    this.seed = seed;
    this.fuzz = new Fuzz(new Random(seed));
  }

  private <T> T readsOrRefuses(String body, Class<T> type, int i) {
    try {
      return json.readValue(body, type);
    } catch (JsonProcessingException refused) {
      return null;
    } catch (RuntimeException e) {
      throw new AssertionError("seed " + seed + ", try " + i + ": " + body, e);
    }
  }
}
