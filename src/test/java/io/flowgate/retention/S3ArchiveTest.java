package io.flowgate.retention;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowgate.support.Db;
import io.flowgate.support.EmbeddedPostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * With the S3 target, every removed instance is first stored, with its tasks and history, as one
 * JSON line in an object of its project and UTC day on a real S3-compatible server; nothing else.
 */
@QuarkusTest
@TestProfile(S3ArchiveTestProfile.class)
@WithTestResource(EmbeddedPostgresResource.class)
@WithTestResource(S3ProxyResource.class)
class S3ArchiveTest {

  @Inject RetentionJob job;
  @Inject Db db;

  @Test
  void objectsHoldExactlyTheRemovedInstances() {
    RetentionFixtures fixtures = new RetentionFixtures(db);
    RetentionFixtures.PastHorizon past = fixtures.pastHorizon("s3-");
    long project = past.project();
    List<Long> removed = past.removed();
    long kept = past.kept();
    Map<Long, String> dayOf = new HashMap<>();
    Map<Long, Long> childrenOf = new HashMap<>();
    for (long id : removed) {
      dayOf.put(id, RetentionFixtures.day(db, id));
      childrenOf.put(id, fixtures.children(id));
    }

    while (job.tick().await().atMost(Duration.ofSeconds(60)).instances() > 0) {
      // until a tick removes nothing
    }

    assertThat(removed.stream().filter(fixtures::exists)).isEmpty();
    assertThat(fixtures.exists(kept)).isTrue();
    Map<Long, String> archivedDay = new HashMap<>();
    Map<Long, Long> archivedChildren = new HashMap<>();
    try (S3Client s3 = S3ProxyResource.client()) {
      List<S3Object> objects =
          s3.listObjectsV2(b -> b.bucket(S3ProxyResource.BUCKET).prefix("project-" + project + "/"))
              .contents();
      assertThat(objects).isNotEmpty();
      for (S3Object object : objects) {
        // project-<code>/<day>/<first id>-<last id>.jsonl
        String[] parts = object.key().split("/");
        assertThat(parts).hasSize(3);
        assertThat(parts[2]).matches("\\d+-\\d+\\.jsonl");
        String body =
            s3.getObjectAsBytes(b -> b.bucket(S3ProxyResource.BUCKET).key(object.key()))
                .asString(StandardCharsets.UTF_8);
        for (String line : body.split("\n")) {
          JsonObject entry = new JsonObject(line);
          long id = entry.getJsonObject("instance").getLong("id");
          assertThat(archivedDay.put(id, parts[1])).as("instance %d archived once", id).isNull();
          assertThat(entry.getJsonObject("instance").getLong("project_code")).isEqualTo(project);
          archivedChildren.put(
              id,
              (long) entry.getJsonArray("tasks").size() + entry.getJsonArray("transitions").size());
        }
      }
    }
    assertThat(archivedDay).isEqualTo(dayOf);
    assertThat(archivedChildren).isEqualTo(childrenOf);
  }
}
