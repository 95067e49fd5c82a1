package io.flowgate.definition;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

/** Workflow rows through Hibernate Reactive. */
@ApplicationScoped
public class WorkflowEntityRepository implements PanacheRepositoryBase<WorkflowEntity, Long> {}
