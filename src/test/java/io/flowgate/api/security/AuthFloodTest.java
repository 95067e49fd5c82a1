package io.flowgate.api.security;

import static io.flowgate.support.Api.startPath;
import static org.assertj.core.api.Assertions.assertThat;

import io.flowgate.support.Api;
import io.flowgate.support.Db;
import io.flowgate.support.EmbeddedPostgresResource;
import io.flowgate.support.LoopbackClient;
import io.flowgate.support.LoopbackClient.Answer;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Floods of refused tokens: they cost no store read for an id already read, cannot evict the tokens
 * in real use, and a client address that keeps failing is answered 429 AUTH_FAILURES_LIMITED before
 * its tokens cost a read, while other clients and already verified tokens pass.
 */
@QuarkusTest
@TestProfile(AuthFloodProfile.class)
@WithTestResource(EmbeddedPostgresResource.class)
class AuthFloodTest {

  @Inject Db db;
  @Inject MeterRegistry registry;
  @Inject TokenService tokens;

  long project;
  long workflow;

  @BeforeEach
  void setUp() {
    project = Api.project();
    workflow = Api.releasedWorkflow(project);
  }

  @Test
  void wrongSecretsForAKnownIdCostNoStoreRead() {
    String valid = Api.token(project, "start");
    assertThat(LoopbackClient.post("127.0.0.2", startPath(project, workflow), valid).status())
        .isEqualTo(201);
    double reads = tokenReads();

    String wrongSecretPrefix = valid.substring(0, valid.lastIndexOf('_') + 1);
    for (int i = 0; i < 50; i++) {
      tokens.authenticate(wrongSecretPrefix + "wrong" + i).await().atMost(Duration.ofSeconds(10));
    }

    assertThat(tokenReads()).isEqualTo(reads);
    assertThat(db.instancesOf(project)).isEqualTo(1);
  }

  @Test
  void aFloodOfUnknownIdsDoesNotEvictATokenInUse() {
    String valid = Api.token(project, "start");
    for (int i = 0; i < 20; i++) {
      assertThat(LoopbackClient.post("127.0.0.3", startPath(project, workflow), valid).status())
          .isEqualTo(201);
    }
    double reads = tokenReads();

    IntStream.range(0, AuthFloodProfile.CACHE_SIZE * 10)
        .forEach(
            i ->
                assertThat(
                        tokens
                            .authenticate("fgt_" + (900_000_000L + i) + "_guess")
                            .await()
                            .atMost(Duration.ofSeconds(10)))
                    .isNull());
    assertThat(tokenReads()).isEqualTo(reads + AuthFloodProfile.CACHE_SIZE * 10);

    assertThat(LoopbackClient.post("127.0.0.3", startPath(project, workflow), valid).status())
        .isEqualTo(201);
    assertThat(tokenReads()).isEqualTo(reads + AuthFloodProfile.CACHE_SIZE * 10);
  }

  @Test
  void aClientThatKeepsFailingIsRefusedWith429WhileOthersAndKnownTokensPass() {
    String verified = Api.token(project, "start");
    String neverUsed = Api.token(project, "start");
    String path = startPath(project, workflow);
    assertThat(LoopbackClient.post("127.0.0.4", path, verified).status()).isEqualTo(201);

    for (int i = 0; i < AuthFloodProfile.FAILURE_BURST; i++) {
      Answer refused =
          LoopbackClient.post("127.0.0.4", path, "fgt_" + (800_000_000L + i) + "_guess");
      assertThat(refused.status()).isEqualTo(401);
      assertThat(refused.body()).contains("\"code\":\"UNAUTHENTICATED\"");
    }
    double reads = tokenReads();
    Answer limited = LoopbackClient.post("127.0.0.4", path, "fgt_799999999_guess");
    Answer uncached = LoopbackClient.post("127.0.0.4", path, neverUsed);
    Answer known = LoopbackClient.post("127.0.0.4", path, verified);
    Answer otherClient = LoopbackClient.post("127.0.0.5", path, "fgt_799999998_guess");

    for (Answer refused : new Answer[] {limited, uncached}) {
      assertThat(refused.status()).isEqualTo(429);
      assertThat(refused.body()).contains("\"code\":\"AUTH_FAILURES_LIMITED\"");
      assertThat(Long.parseLong(refused.retryAfter())).isPositive();
    }
    assertThat(known.status()).isEqualTo(201);
    assertThat(otherClient.status()).isEqualTo(401);
    // the limited client cost no read; only the other client's unknown id was read
    assertThat(tokenReads()).isEqualTo(reads + 1);
    assertThat(db.instancesOf(project)).isEqualTo(2);
  }

  private double tokenReads() {
    return registry.get("flowgate.auth.token.reads").counter().count();
  }
}
