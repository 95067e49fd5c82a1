package io.flowgate.api.security;

import java.security.Permission;
import java.util.Objects;

/**
 * A scope ({@code read} or {@code start}) in one project. Quarkus builds one from an endpoint's
 * {@code @PermissionsAllowed(value = scope, permission = ProjectPermission.class)} and the
 * endpoint's {@code projectCode} argument; the caller's identity grants it when the token is scoped
 * to that project with that scope, or is the admin.
 */
public final class ProjectPermission extends Permission {

  private final long projectCode;

  public ProjectPermission(String name, long projectCode) {
    super(name);
    this.projectCode = projectCode;
  }

  public long projectCode() {
    return projectCode;
  }

  /** Whether {@code caller} holds this permission. */
  boolean grantedTo(Caller caller) {
    return caller.may(projectCode, getName());
  }

  @Override
  public boolean implies(Permission permission) {
    return equals(permission);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ProjectPermission p
        && p.projectCode == projectCode
        && p.getName().equals(getName());
  }

  @Override
  public int hashCode() {
    return Objects.hash(getName(), projectCode);
  }

  @Override
  public String getActions() {
    return "";
  }
}
