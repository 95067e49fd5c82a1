package io.flowgate.config;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Makes each group of {@link FlowgateConfig} injectable on its own, as beans always took them. */
@ApplicationScoped
public class ConfigGroups {

  private final FlowgateConfig root;

  public ConfigGroups(FlowgateConfig root) {
    this.root = root;
  }

  @Produces
  @Singleton
  EngineConfig engine() {
    return root.engine();
  }

  @Produces
  @Singleton
  SecurityConfig security() {
    return root.security();
  }

  @Produces
  @Singleton
  AdmissionConfig admission() {
    return root.admission();
  }

  @Produces
  @Singleton
  BacklogConfig backlog() {
    return root.backlog();
  }

  @Produces
  @Singleton
  BenchConfig bench() {
    return root.bench();
  }

  @Produces
  @Singleton
  DatabaseConfig db() {
    return root.db();
  }

  @Produces
  @Singleton
  DefinitionConfig definition() {
    return root.definition();
  }

  @Produces
  @Singleton
  DolphinSchedulerConfig dolphinScheduler() {
    return root.dolphinScheduler();
  }

  @Produces
  @Singleton
  EmbeddedConfig embedded() {
    return root.embedded();
  }

  @Produces
  @Singleton
  HttpTaskConfig httpTask() {
    return root.httpTask();
  }

  @Produces
  @Singleton
  RateLimitConfig rateLimit() {
    return root.rateLimit();
  }

  @Produces
  @Singleton
  RequestConfig request() {
    return root.request();
  }

  @Produces
  @Singleton
  RetentionConfig retention() {
    return root.retention();
  }

  @Produces
  @Singleton
  ShutdownConfig shutdown() {
    return root.shutdown();
  }

  @Produces
  @Singleton
  StoreConfig store() {
    return root.store();
  }
}
