package io.flowgate.retention;

import io.flowgate.retention.RetentionStore.ArchiveLine;
import io.smallrye.mutiny.Uni;
import java.util.List;

/**
 * Where instances go before they are removed. The removal waits for {@link #write} to complete and
 * commits only after it: {@link DirectoryArchive} or {@link S3Archive}, chosen by {@link Archives}.
 */
public interface Archive {

  /** Stores the lines durably; completes only once they survive a crash of this process. */
  Uni<Void> write(List<ArchiveLine> lines);
}
