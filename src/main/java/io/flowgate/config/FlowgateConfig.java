package io.flowgate.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithName;
import io.smallrye.config.WithParentName;

/**
 * Every {@code flowgate.*} setting, one group per feature. A {@code flowgate.*} key that no group
 * declares fails the start-up with its name, so a misspelt setting is never silently ignored. Beans
 * inject the groups ({@link ConfigGroups} produces them), not this root.
 */
@ConfigMapping(prefix = "flowgate")
public interface FlowgateConfig {

  /**
   * Roles, master, worker, reconciler and notify settings (flowgate.roles, flowgate.master.*...).
   */
  @WithParentName
  EngineConfig engine();

  /** The admin token and token verification (flowgate.admin-token, flowgate.auth.*). */
  @WithParentName
  SecurityConfig security();

  AdmissionConfig admission();

  BacklogConfig backlog();

  BenchConfig bench();

  DatabaseConfig db();

  DefinitionConfig definition();

  @WithName("dolphinscheduler")
  DolphinSchedulerConfig dolphinScheduler();

  EmbeddedConfig embedded();

  HttpTaskConfig httpTask();

  RateLimitConfig rateLimit();

  RequestConfig request();

  RetentionConfig retention();

  ShutdownConfig shutdown();

  StoreConfig store();
}
