package io.flowgate.config;

import io.smallrye.config.WithDefault;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** Removal of finished instances past their project's retention, and their optional archive. */
public interface RetentionConfig {

  /** Whether processes with the master role remove finished instances past retention. */
  @WithDefault("true")
  boolean enabled();

  /** How long a finished instance is kept after it ended, unless its project sets its own. */
  @WithDefault("7d")
  Duration period();

  /** Instances (with their tasks and history) removed per transaction. */
  @WithDefault("2000")
  int batchSize();

  /** Transactions per tick at most: bounds the work of one tick to batch-size times this. */
  @WithDefault("10")
  int maxBatchesPerTick();

  /** Time between the end of one tick and the start of the next. */
  @WithDefault("1s")
  Duration interval();

  /** Longest one removal transaction (select, archive, delete, commit) may take. */
  @WithDefault("30s")
  Duration batchTimeout();

  Archive archive();

  /** Export of instances before their removal: to a directory or to an S3-compatible bucket. */
  interface Archive {
    /** Whether instances are written to the archive (directory or s3.bucket) before removal. */
    @WithDefault("false")
    boolean enabled();

    /** Directory of the JSON-lines files, one per project and day of the instances' end. */
    Optional<Path> directory();

    S3 s3();
  }

  /** The S3-compatible archive target (AWS S3, MinIO, Ceph RGW, ...). */
  interface S3 {
    /** Bucket the archive objects are written to; it must exist. */
    Optional<String> bucket();

    /** Endpoint of an S3-compatible store, e.g. http://minio:9000; unset means AWS S3. */
    Optional<URI> endpoint();

    /** Region the requests are signed for. */
    @WithDefault("us-east-1")
    String region();

    /** Path-style addressing (endpoint/bucket/key), which most S3-compatible stores need. */
    @WithDefault("false")
    boolean pathStyle();

    /** Access key id; unset means the AWS default chain (AWS_ACCESS_KEY_ID, web identity, ...). */
    Optional<String> accessKeyId();

    /** Secret access key; set together with access-key-id. */
    Optional<String> secretAccessKey();
  }
}
