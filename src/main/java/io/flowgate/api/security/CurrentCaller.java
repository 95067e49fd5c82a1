package io.flowgate.api.security;

import io.flowgate.problem.ErrorCode;
import io.flowgate.problem.FlowgateException;
import jakarta.enterprise.context.RequestScoped;

/** The authenticated caller of the current request, set by {@link AuthFilter}. */
@RequestScoped
public class CurrentCaller {

  private Caller caller;

  void set(Caller caller) {
    this.caller = caller;
  }

  public Caller get() {
    if (caller == null) {
      throw new FlowgateException(ErrorCode.UNAUTHENTICATED, "a valid token is required");
    }
    return caller;
  }
}
