package io.flowgate.retention;

import io.flowgate.config.RetentionConfig;
import io.flowgate.retention.RetentionStore.ArchiveLine;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Typed;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/**
 * JSON lines written to an S3-compatible bucket, one object per project, UTC day of the instances'
 * end and batch: {@code project-<code>/<yyyy-MM-dd>/<first id>-<last id>.jsonl}. An object cannot
 * be appended to, so the day's directory of the directory archive becomes a prefix; a batch retried
 * after a failed removal writes the same key again. Every object is stored (PUT answered) before
 * the removal commits; the client's calls are bounded by {@code flowgate.retention.batch-timeout}.
 */
@ApplicationScoped
@Typed(S3Archive.class)
public class S3Archive implements Archive {

  private final String bucket;
  private final S3Client client;

  public S3Archive(RetentionConfig config) {
    RetentionConfig.S3 s3 = config.archive().s3();
    this.bucket =
        s3.bucket()
            .orElseThrow(
                () -> new IllegalStateException("flowgate.retention.archive.s3.bucket is not set"));
    this.client = client(s3, config.batchTimeout());
  }

  /** The key of the object holding a project's instances that ended on a day, in one batch. */
  public static String key(long projectCode, String day, long firstId, long lastId) {
    return "project-" + projectCode + "/" + day + "/" + firstId + "-" + lastId + ".jsonl";
  }

  @Override
  public Uni<Void> write(List<ArchiveLine> lines) {
    // the SDK's client blocks: it runs on a worker thread, never on the event loop
    return Uni.createFrom()
        .item(
            () -> {
              byObject(lines).forEach(this::put);
              return (Void) null;
            })
        .runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
  }

  @PreDestroy
  void close() {
    client.close();
  }

  private void put(String key, String body) {
    client.putObject(
        PutObjectRequest.builder()
            .bucket(bucket)
            .key(key)
            .contentType("application/x-ndjson")
            .build(),
        RequestBody.fromBytes(body.getBytes(StandardCharsets.UTF_8)));
  }

  private static Map<String, String> byObject(List<ArchiveLine> lines) {
    Map<String, List<ArchiveLine>> groups = new LinkedHashMap<>();
    for (ArchiveLine line : lines) {
      groups
          .computeIfAbsent(line.projectCode() + "/" + line.period(), g -> new ArrayList<>())
          .add(line);
    }
    Map<String, String> objects = new LinkedHashMap<>();
    for (List<ArchiveLine> group : groups.values()) {
      long first = group.stream().mapToLong(ArchiveLine::instanceId).min().orElseThrow();
      long last = group.stream().mapToLong(ArchiveLine::instanceId).max().orElseThrow();
      StringBuilder body = new StringBuilder();
      group.forEach(l -> body.append(l.json()).append('\n'));
      ArchiveLine any = group.get(0);
      objects.put(key(any.projectCode(), any.period(), first, last), body.toString());
    }
    return objects;
  }

  private static S3Client client(RetentionConfig.S3 s3, Duration timeout) {
    S3ClientBuilder builder =
        S3Client.builder()
            .region(Region.of(s3.region()))
            .forcePathStyle(s3.pathStyle())
            .credentialsProvider(credentials(s3))
            // checksums only where the API requires them: many S3-compatible stores refuse the
            // SDK's default trailing checksums
            .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
            .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
            .httpClientBuilder(
                UrlConnectionHttpClient.builder().connectionTimeout(timeout).socketTimeout(timeout))
            .overrideConfiguration(c -> c.apiCallTimeout(timeout).apiCallAttemptTimeout(timeout));
    s3.endpoint().ifPresent(builder::endpointOverride);
    return builder.build();
  }

  private static AwsCredentialsProvider credentials(RetentionConfig.S3 s3) {
    if (s3.accessKeyId().isPresent()) {
      return StaticCredentialsProvider.create(
          AwsBasicCredentials.create(s3.accessKeyId().get(), s3.secretAccessKey().orElseThrow()));
    }
    return DefaultCredentialsProvider.builder().build();
  }
}
