package io.flowgate.definition;

import java.time.OffsetDateTime;

/** A project: the unit of ownership of workflows, instances and token scopes. */
public record Project(long code, String name, String description, OffsetDateTime createdAt) {}
