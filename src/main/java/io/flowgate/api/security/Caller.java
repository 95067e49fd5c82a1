package io.flowgate.api.security;

import io.flowgate.problem.ErrorCode;
import io.flowgate.problem.FlowgateException;
import java.util.Set;

/**
 * Who is calling: the admin, or a token scoped to some projects with {@code read} and/or {@code
 * start}. {@code subject} names the token in audit records and keys its rate limit; {@code
 * rateLimit} is the token's own limit, or null for the configured default. It travels as an
 * attribute of the request's {@code SecurityIdentity} ({@link #ATTRIBUTE}).
 */
public record Caller(
    String subject, boolean admin, Set<Long> projects, Set<String> scopes, RateLimit rateLimit) {

  /** A token's own rate limit: sustained permits per second and bucket size. */
  public record RateLimit(int perSecond, int burst) {}

  /** The {@code SecurityIdentity} attribute that holds the caller. */
  public static final String ATTRIBUTE = "flowgate.caller";

  /** The role of an admin token. */
  public static final String ADMIN_ROLE = "admin";

  public static final String READ = "read";
  public static final String START = "start";

  /**
   * 403 PROJECT_ACCESS_DENIED unless the token may do {@code scope} in the project: for a resource
   * whose project is known only once it is read (an instance by id).
   */
  public void requireProject(long projectCode, String scope) {
    if (!may(projectCode, scope)) {
      throw denied(projectCode, scope);
    }
  }

  /** The refusal of {@code scope} in a project, as every project-scoped endpoint answers it. */
  public static FlowgateException denied(long projectCode, String scope) {
    return new FlowgateException(
        ErrorCode.PROJECT_ACCESS_DENIED,
        "the token may not " + scope + " in project " + projectCode);
  }

  /** Whether the token may do {@code scope} in the project. */
  public boolean may(long projectCode, String scope) {
    return admin || (projects.contains(projectCode) && scopes.contains(scope));
  }

  /** Whether resources of this project exist for the caller at all (others answer 404). */
  public boolean sees(long projectCode) {
    return admin || projects.contains(projectCode);
  }
}
