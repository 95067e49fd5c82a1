package io.flowgate.retention;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowgate.support.Db;
import io.flowgate.support.EmbeddedPostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * With the archive on, every removed instance is first written, with its tasks and history, as one
 * JSON line in the file of its project and the UTC day it ended; nothing else is written.
 */
@QuarkusTest
@TestProfile(RetentionTestProfile.class)
@WithTestResource(EmbeddedPostgresResource.class)
class ArchiveTest {

  @Inject RetentionJob job;
  @Inject Db db;
  @Inject Pool pool;

  @Test
  void archiveFilesHoldExactlyTheRemovedInstances() throws IOException {
    RetentionFixtures fixtures = new RetentionFixtures(db);
    RetentionFixtures.PastHorizon past = fixtures.pastHorizon("");
    long project = past.project();
    List<Long> removed = past.removed();
    long kept = past.kept();
    Map<Long, String> dayOf = new HashMap<>();
    Map<Long, Long> childrenOf = new HashMap<>();
    for (long id : removed) {
      dayOf.put(id, day(id));
      childrenOf.put(id, fixtures.children(id));
    }

    while (job.tick().await().atMost(Duration.ofSeconds(30)).instances() > 0) {
      // until a tick removes nothing
    }

    assertThat(removed.stream().filter(fixtures::exists)).isEmpty();
    assertThat(fixtures.exists(kept)).isTrue();
    Path dir = RetentionTestProfile.ARCHIVE.resolve("project-" + project);
    Map<Long, String> archivedDay = new HashMap<>();
    Map<Long, Long> archivedChildren = new HashMap<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.toList()) {
        String day = file.getFileName().toString().replace(".jsonl", "");
        for (String line : Files.readAllLines(file)) {
          JsonObject entry = new JsonObject(line);
          long id = entry.getJsonObject("instance").getLong("id");
          assertThat(archivedDay.put(id, day)).as("instance %d archived once", id).isNull();
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

  private String day(long instance) {
    return pool.preparedQuery(
            "select to_char(ended_at at time zone 'UTC', 'YYYY-MM-DD') as d"
                + " from workflow_instance where id = $1")
        .execute(Tuple.of(instance))
        .await()
        .atMost(Duration.ofSeconds(10))
        .iterator()
        .next()
        .getString("d");
  }
}
