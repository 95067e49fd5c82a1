package io.flowgate.store;

import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;

/**
 * A {@code workflow} row joined with one of its {@code workflow_version} rows, read over the Vert.x
 * client (the engine's DAG reads and the DolphinScheduler views; the definition API itself is on
 * Hibernate). A caller selects the columns it needs and reads only those.
 */
public final class DefinitionRow {

  public static final String CODE = "code";
  public static final String PROJECT_CODE = "project_code";
  public static final String NAME = "name";
  public static final String RELEASE_STATE = "release_state";
  public static final String VERSION = "version";
  public static final String DAG = "dag";
  public static final String GLOBAL_PARAMS = "global_params";

  /** The workflow's name where the query joins it with instance columns (which have no name). */
  public static final String WORKFLOW_NAME = "workflow_name";

  private final Row row;

  private DefinitionRow(Row row) {
    this.row = row;
  }

  public static DefinitionRow of(Row row) {
    return new DefinitionRow(row);
  }

  public long code() {
    return row.getLong(CODE);
  }

  public long projectCode() {
    return row.getLong(PROJECT_CODE);
  }

  public String name() {
    return row.getString(NAME);
  }

  /** The name selected as {@link #WORKFLOW_NAME}. */
  public String workflowName() {
    return row.getString(WORKFLOW_NAME);
  }

  public String releaseState() {
    return row.getString(RELEASE_STATE);
  }

  public int version() {
    return row.getInteger(VERSION);
  }

  /** The version's DAG; a stored value that is no JSON object throws ClassCastException. */
  public JsonObject dag() {
    return row.getJsonObject(DAG);
  }

  /** The version's global params (a JSON object of strings), or null. */
  public JsonObject globalParams() {
    return row.getJsonObject(GLOBAL_PARAMS);
  }
}
