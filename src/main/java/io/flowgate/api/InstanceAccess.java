package io.flowgate.api;

import io.flowgate.api.security.Caller;
import io.flowgate.engine.InstanceStopper;
import io.flowgate.problem.ErrorCode;
import io.flowgate.problem.FlowgateException;
import io.flowgate.store.InstanceQueries.InstanceView;

/**
 * Access to one instance by id, whose project is known only once the instance is read, so no
 * endpoint annotation can decide it: an instance of a project the caller is not scoped to answers
 * 404, as if it did not exist; one of its own project without {@code scope} answers 403
 * PROJECT_ACCESS_DENIED.
 */
record InstanceAccess(Caller caller, String scope) implements InstanceStopper.Asker {

  /** {@code instance} when the caller may see it with the scope; else the refusal. */
  InstanceView check(InstanceView instance, long id) {
    if (instance == null || !sees(instance.projectCode())) {
      throw new FlowgateException(ErrorCode.INSTANCE_NOT_FOUND, "instance " + id + " not found");
    }
    caller.requireProject(instance.projectCode(), scope);
    return instance;
  }

  @Override
  public boolean sees(long projectCode) {
    return caller.sees(projectCode);
  }

  @Override
  public void requireStop(long projectCode) {
    caller.requireProject(projectCode, scope);
  }

  @Override
  public String subject() {
    return caller.subject();
  }
}
