package io.flowgate.config;

import java.util.List;
import java.util.Optional;

/** Where HTTP tasks may send their requests. */
public interface HttpTaskConfig {

  /** When set, the only hosts an HTTP task may call; none: any host but metadata addresses. */
  Optional<List<String>> allowedHosts();
}
