package io.flowgate.api;

import static io.flowgate.support.Api.admin;
import static io.flowgate.support.Api.startPath;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.flowgate.support.Api;
import io.flowgate.support.Db;
import io.flowgate.support.EmbeddedPostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(EmbeddedPostgresResource.class)
class IdempotencyTest {

  @Inject Db db;

  @Test
  void concurrentStartsWithRepeatedKeysCreateOneInstancePerKey() throws Exception {
    long project = Api.project();
    long workflow = Api.releasedWorkflow(project);
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < 150; i++) {
      keys.add("key-" + i);
    }
    // 50 keys are sent twice, interleaved with the rest
    List<String> sends = new ArrayList<>(keys);
    sends.addAll(keys.subList(0, 50));
    Collections.shuffle(sends);

    ExecutorService pool = Executors.newFixedThreadPool(64);
    List<Future<Response>> answers = new ArrayList<>();
    for (String key : sends) {
      answers.add(
          pool.submit(
              () ->
                  admin()
                      .header("Idempotency-Key", key)
                      .body(Map.of("params", Map.of("k", key)))
                      .post(startPath(project, workflow))));
    }
    Map<String, Set<Long>> idsByKey = new HashMap<>();
    int created = 0;
    for (int i = 0; i < sends.size(); i++) {
      Response r = answers.get(i).get(60, TimeUnit.SECONDS);
      assertThat(r.statusCode()).isIn(200, 201);
      created += r.statusCode() == 201 ? 1 : 0;
      idsByKey
          .computeIfAbsent(sends.get(i), k -> new HashSet<>())
          .add(r.jsonPath().getLong("instanceId"));
    }
    pool.shutdown();

    assertThat(db.instancesOf(project)).isEqualTo(150);
    assertThat(created).isEqualTo(150);
    assertThat(idsByKey).hasSize(150).allSatisfy((key, ids) -> assertThat(ids).hasSize(1));
  }

  @Test
  void sameKeyAndBodyReplaysTheOriginal() {
    long project = Api.project();
    long workflow = Api.releasedWorkflow(project);
    Map<String, Object> body = Map.of("params", Map.of("x", "1"));
    long id =
        admin()
            .header("Idempotency-Key", "k1")
            .body(body)
            .post(startPath(project, workflow))
            .then()
            .statusCode(201)
            .extract()
            .jsonPath()
            .getLong("instanceId");

    admin()
        .header("Idempotency-Key", "k1")
        .body(body)
        .post(startPath(project, workflow))
        .then()
        .statusCode(200)
        .header("Idempotency-Replayed", "true")
        .body("replayed", equalTo(true))
        .body("instanceId", equalTo((int) id));
    assertThat(db.instancesOf(project)).isEqualTo(1);
  }

  @Test
  void sameKeyWithAnotherBodyIs409AndWritesNothing() {
    long project = Api.project();
    long workflow = Api.releasedWorkflow(project);
    admin()
        .header("Idempotency-Key", "k2")
        .body(Map.of("params", Map.of("x", "1")))
        .post(startPath(project, workflow))
        .then()
        .statusCode(201);

    admin()
        .header("Idempotency-Key", "k2")
        .body(Map.of("params", Map.of("x", "2")))
        .post(startPath(project, workflow))
        .then()
        .statusCode(409)
        .contentType("application/problem+json")
        .body("code", equalTo("IDEMPOTENCY_KEY_REUSED"));
    assertThat(db.instancesOf(project)).isEqualTo(1);
  }

  @Test
  void startsWithoutKeyAreNeverDeduplicated() {
    long project = Api.project();
    long workflow = Api.releasedWorkflow(project);
    admin().post(startPath(project, workflow)).then().statusCode(201);
    admin().post(startPath(project, workflow)).then().statusCode(201);
    assertThat(db.instancesOf(project)).isEqualTo(2);
  }

  @Test
  void byKeyLookupFindsTheInstance() {
    long project = Api.project();
    long workflow = Api.releasedWorkflow(project);
    long id =
        admin()
            .header("Idempotency-Key", "lookup-1")
            .post(startPath(project, workflow))
            .then()
            .statusCode(201)
            .extract()
            .jsonPath()
            .getLong("instanceId");
    admin()
        .get("/api/v1/projects/" + project + "/instances/by-key/lookup-1")
        .then()
        .statusCode(200)
        .body("id", equalTo((int) id));
    admin()
        .get("/api/v1/projects/" + project + "/instances/by-key/missing")
        .then()
        .statusCode(404)
        .body("code", equalTo("INSTANCE_NOT_FOUND"));
  }
}
