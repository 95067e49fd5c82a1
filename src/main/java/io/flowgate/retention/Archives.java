package io.flowgate.retention;

import io.flowgate.config.RetentionConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;

/** The one archive the configuration chose; the S3 client is only built when S3 is chosen. */
@ApplicationScoped
public class Archives {

  @Produces
  @ApplicationScoped
  Archive archive(
      RetentionConfig config, Instance<DirectoryArchive> directory, Instance<S3Archive> s3) {
    return switch (ArchiveTarget.of(config.archive())) {
      case S3 -> s3.get();
      case DIRECTORY, NONE -> directory.get();
    };
  }
}
