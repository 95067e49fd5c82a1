package io.flowgate.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flowgate.config.RetentionConfig;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The archive's target is a directory or an S3 bucket: an incomplete or contradictory configuration
 * is refused at startup with the names of the settings to fix.
 */
class ArchiveTargetTest {

  private record S3(
      Optional<String> bucket,
      Optional<URI> endpoint,
      String region,
      boolean pathStyle,
      Optional<String> accessKeyId,
      Optional<String> secretAccessKey)
      implements RetentionConfig.S3 {}

  private record Archive(boolean enabled, Optional<Path> directory, RetentionConfig.S3 s3)
      implements RetentionConfig.Archive {}

  private static final S3 NO_S3 =
      new S3(
          Optional.empty(),
          Optional.empty(),
          "us-east-1",
          false,
          Optional.empty(),
          Optional.empty());
  private static final S3 BUCKET =
      new S3(
          Optional.of("archive"),
          Optional.of(URI.create("http://127.0.0.1:9000")),
          "us-east-1",
          true,
          Optional.of("id"),
          Optional.of("secret"));

  @Test
  void offByDefaultNeedsNothing() {
    assertThat(ArchiveTarget.of(new Archive(false, Optional.empty(), NO_S3)))
        .isEqualTo(ArchiveTarget.NONE);
  }

  @Test
  void aDirectoryOrABucketIsChosen() {
    assertThat(ArchiveTarget.of(new Archive(true, Optional.of(Path.of("/a")), NO_S3)))
        .isEqualTo(ArchiveTarget.DIRECTORY);
    assertThat(ArchiveTarget.of(new Archive(true, Optional.empty(), BUCKET)))
        .isEqualTo(ArchiveTarget.S3);
  }

  @Test
  void enabledWithoutTargetIsRefusedByName() {
    assertThatThrownBy(() -> ArchiveTarget.of(new Archive(true, Optional.empty(), NO_S3)))
        .hasMessage(
            "flowgate.retention.archive.enabled needs flowgate.retention.archive.directory"
                + " or flowgate.retention.archive.s3.bucket");
  }

  @Test
  void bothTargetsAreRefusedByName() {
    assertThatThrownBy(
            () -> ArchiveTarget.of(new Archive(true, Optional.of(Path.of("/a")), BUCKET)))
        .hasMessageContaining("flowgate.retention.archive.directory")
        .hasMessageContaining("flowgate.retention.archive.s3.bucket")
        .hasMessageContaining("both");
  }

  @Test
  void anEndpointWithoutBucketIsRefusedByName() {
    S3 endpointOnly =
        new S3(
            Optional.empty(),
            Optional.of(URI.create("http://127.0.0.1:9000")),
            "us-east-1",
            true,
            Optional.empty(),
            Optional.empty());
    assertThatThrownBy(
            () -> ArchiveTarget.of(new Archive(true, Optional.of(Path.of("/a")), endpointOnly)))
        .hasMessageContaining("flowgate.retention.archive.s3.bucket");
  }

  @Test
  void oneKeyWithoutTheOtherIsRefusedByName() {
    S3 idOnly =
        new S3(
            Optional.of("archive"),
            Optional.empty(),
            "us-east-1",
            false,
            Optional.of("id"),
            Optional.empty());
    S3 secretOnly =
        new S3(
            Optional.of("archive"),
            Optional.empty(),
            "us-east-1",
            false,
            Optional.empty(),
            Optional.of("secret"));
    for (S3 s3 : new S3[] {idOnly, secretOnly}) {
      assertThatThrownBy(() -> ArchiveTarget.of(new Archive(true, Optional.empty(), s3)))
          .hasMessage(
              "flowgate.retention.archive.s3.access-key-id and"
                  + " flowgate.retention.archive.s3.secret-access-key must be set together");
    }
  }
}
