package io.flowgate.retention;

import io.flowgate.config.RetentionConfig;
import io.flowgate.retention.RetentionStore.ArchiveLine;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Typed;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON lines appended to {@code <directory>/project-<code>/<yyyy-MM-dd>.jsonl}, one file per
 * project and UTC day of the instances' end, forced to disk before the removal commits.
 */
@ApplicationScoped
@Typed(DirectoryArchive.class)
public class DirectoryArchive implements Archive {

  private final RetentionConfig config;

  public DirectoryArchive(RetentionConfig config) {
    this.config = config;
  }

  /** The file that holds the instances of a project that ended on a UTC day. */
  public static Path file(Path directory, long projectCode, String day) {
    return directory.resolve("project-" + projectCode).resolve(day + ".jsonl");
  }

  @Override
  public Uni<Void> write(List<ArchiveLine> lines) {
    Path directory =
        config
            .archive()
            .directory()
            .orElseThrow(
                () -> new IllegalStateException("flowgate.retention.archive.directory is not set"));
    // file I/O blocks: it runs on a worker thread, never on the event loop
    return Uni.createFrom()
        .item(
            () -> {
              byFile(directory, lines).forEach(DirectoryArchive::append);
              return (Void) null;
            })
        .runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
  }

  private static Map<Path, StringBuilder> byFile(Path directory, List<ArchiveLine> lines) {
    Map<Path, StringBuilder> files = new LinkedHashMap<>();
    for (ArchiveLine line : lines) {
      files
          .computeIfAbsent(
              file(directory, line.projectCode(), line.period()), f -> new StringBuilder())
          .append(line.json())
          .append('\n');
    }
    return files;
  }

  private static void append(Path file, StringBuilder text) {
    try {
      Files.createDirectories(file.getParent());
      try (FileChannel channel =
          FileChannel.open(
              file,
              StandardOpenOption.CREATE,
              StandardOpenOption.WRITE,
              StandardOpenOption.APPEND)) {
        ByteBuffer bytes = ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8));
        while (bytes.hasRemaining()) {
          channel.write(bytes);
        }
        channel.force(true);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("archive " + file + " could not be written", e);
    }
  }
}
