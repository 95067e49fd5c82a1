package io.flowgate.api.security;

import io.flowgate.problem.ErrorCode;
import io.flowgate.problem.FlowgateException;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.RequestScoped;

/** The caller of the current request, as {@link TokenIdentityProvider} put it in the identity. */
@RequestScoped
public class CurrentCaller {

  private final SecurityIdentity identity;

  public CurrentCaller(SecurityIdentity identity) {
    this.identity = identity;
  }

  public Caller get() {
    Caller caller = identity.getAttribute(Caller.ATTRIBUTE);
    if (caller == null) {
      throw new FlowgateException(ErrorCode.UNAUTHENTICATED, "a valid token is required");
    }
    return caller;
  }
}
