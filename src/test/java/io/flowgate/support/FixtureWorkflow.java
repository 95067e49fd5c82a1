package io.flowgate.support;

/**
 * One project with one released workflow, made on first use and kept for the test class that holds
 * it (as a static field), and the paths and bodies written against it: {@code {p}} and {@code {w}}
 * in a template stand for its project and workflow codes.
 */
public final class FixtureWorkflow {

  private long project;
  private long workflow;

  public long project() {
    made();
    return project;
  }

  public long workflow() {
    made();
    return workflow;
  }

  /** The template with {@code {p}} and {@code {w}} replaced by this fixture's codes. */
  public String fill(String template) {
    return template
        .replace("{p}", String.valueOf(project()))
        .replace("{w}", String.valueOf(workflow()));
  }

  private void made() {
    if (project == 0) {
      project = Api.project();
      workflow = Api.releasedWorkflow(project);
    }
  }
}
