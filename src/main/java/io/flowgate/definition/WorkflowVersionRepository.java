package io.flowgate.definition;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

/** Workflow versions through Hibernate Reactive. */
@ApplicationScoped
public class WorkflowVersionRepository
    implements PanacheRepositoryBase<WorkflowVersionEntity, WorkflowVersionEntity.Key> {}
