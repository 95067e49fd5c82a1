package io.flowgate.retention;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3-compatible server for the archive tests: S3Proxy (copied to target/s3proxy by the
 * build) as a child process on a free loopback port with its in-memory backend, holding one empty
 * bucket; the service's archive points at it with path-style addressing.
 */
public class S3ProxyResource implements QuarkusTestResourceLifecycleManager {

  static final String BUCKET = "flowgate-archive";
  static final String ACCESS_KEY = "archive-test-access";
  static final String SECRET_KEY = "archive-test-secret";
  private static final Duration STARTUP = Duration.ofSeconds(180);
  static volatile URI endpoint;

  private Process process;
  private Path dir;

  @Override
  public Map<String, String> start() {
    Path jar = Path.of("target", "s3proxy", "s3proxy.jar");
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          jar + " is missing: the build copies it (process-test-resources)");
    }
    int port = freePort();
    endpoint = URI.create("http://127.0.0.1:" + port);
    try {
      dir = Files.createTempDirectory("flowgate-s3proxy-");
      Path properties = dir.resolve("s3proxy.conf");
      Files.writeString(
          properties,
          String.join(
              "\n",
              "s3proxy.endpoint=" + endpoint,
              "s3proxy.authorization=aws-v2-or-v4",
              "s3proxy.identity=" + ACCESS_KEY,
              "s3proxy.credential=" + SECRET_KEY,
              "jclouds.provider=transient",
              "jclouds.identity=unused",
              "jclouds.credential=unused",
              ""));
      process =
          new ProcessBuilder(
                  ProcessHandle.current().info().command().orElse("java"),
                  "-Xmx256m",
                  "-jar",
                  jar.toAbsolutePath().toString(),
                  "--properties",
                  properties.toString())
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("s3proxy.log").toFile())
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    awaitListening();
    try (S3Client client = client()) {
      client.createBucket(b -> b.bucket(BUCKET));
    }
    return Map.of(
        "flowgate.retention.archive.s3.bucket", BUCKET,
        "flowgate.retention.archive.s3.endpoint", endpoint.toString(),
        "flowgate.retention.archive.s3.path-style", "true",
        "flowgate.retention.archive.s3.access-key-id", ACCESS_KEY,
        "flowgate.retention.archive.s3.secret-access-key", SECRET_KEY);
  }

  @Override
  public void stop() {
    if (process != null) {
      process.destroy();
    }
    if (dir != null) {
      try (var files = Files.list(dir)) {
        for (Path file : files.toList()) {
          Files.deleteIfExists(file);
        }
        Files.deleteIfExists(dir);
      } catch (IOException e) {
        // a leftover temp directory of a few kilobytes is not worth failing the run
      }
    }
  }

  /** A client of the test's own, to create the bucket and read what the archive wrote. */
  static S3Client client() {
    return S3Client.builder()
        .endpointOverride(endpoint)
        .region(Region.US_EAST_1)
        .forcePathStyle(true)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
        .httpClientBuilder(UrlConnectionHttpClient.builder())
        .build();
  }

  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void awaitListening() {
    Instant deadline = Instant.now().plus(STARTUP);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException("S3Proxy exited with " + process.exitValue());
      }
      try {
        HttpURLConnection connection = (HttpURLConnection) endpoint.toURL().openConnection();
        connection.setConnectTimeout(1000);
        connection.setReadTimeout(2000);
        connection.getResponseCode();
        return;
      } catch (IOException notYet) {
        sleep();
      }
    }
    process.destroy();
    throw new IllegalStateException("S3Proxy did not listen within " + STARTUP);
  }

  private static void sleep() {
    try {
      Thread.sleep(250);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
