package io.flowgate.retention;

import io.flowgate.config.RetentionConfig;
import java.util.Optional;

/**
 * Which archive a configuration asks for, and why it is refused when incomplete: a directory or an
 * S3 bucket, exactly one of them when the archive is on, and S3 keys only in pairs.
 */
public enum ArchiveTarget {
  NONE,
  DIRECTORY,
  S3;

  private static final String P = "flowgate.retention.archive.";

  /** The target of a valid configuration; throws, naming the settings, for an invalid one. */
  public static ArchiveTarget of(RetentionConfig.Archive archive) {
    refusal(archive)
        .ifPresent(
            message -> {
              throw new IllegalStateException(message);
            });
    if (!archive.enabled()) {
      return NONE;
    }
    return archive.directory().isPresent() ? DIRECTORY : S3;
  }

  /** Why the configuration cannot start, naming the settings; empty when it can. */
  public static Optional<String> refusal(RetentionConfig.Archive archive) {
    RetentionConfig.S3 s3 = archive.s3();
    if (s3.accessKeyId().isPresent() != s3.secretAccessKey().isPresent()) {
      return Optional.of(
          P + "s3.access-key-id and " + P + "s3.secret-access-key must be set together");
    }
    if (!archive.enabled()) {
      return Optional.empty();
    }
    boolean directory = archive.directory().isPresent();
    boolean bucket = s3.bucket().filter(b -> !b.isBlank()).isPresent();
    if (directory && bucket) {
      return Optional.of(P + "directory and " + P + "s3.bucket are both set: choose one target");
    }
    if (!directory && !bucket) {
      return Optional.of(P + "enabled needs " + P + "directory or " + P + "s3.bucket");
    }
    if (!bucket && (s3.endpoint().isPresent() || s3.accessKeyId().isPresent())) {
      return Optional.of(P + "s3.endpoint or s3 keys are set without " + P + "s3.bucket");
    }
    return Optional.empty();
  }
}
