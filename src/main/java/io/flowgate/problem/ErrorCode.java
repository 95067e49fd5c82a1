package io.flowgate.problem;

/** Every error a client can get: its HTTP status, its stable code and a short title. */
public enum ErrorCode {
  BAD_REQUEST(400, "Malformed request"),
  VALIDATION_FAILED(400, "A field is invalid"),
  UNAUTHENTICATED(401, "Missing or invalid token"),
  FORBIDDEN(403, "Token lacks the needed scope"),
  PROJECT_ACCESS_DENIED(403, "Token is not scoped to this project"),
  NOT_FOUND(404, "Resource not found"),
  PROJECT_NOT_FOUND(404, "Project not found"),
  WORKFLOW_NOT_FOUND(404, "Workflow not found"),
  INSTANCE_NOT_FOUND(404, "Instance not found"),
  METHOD_NOT_ALLOWED(405, "Method not allowed"),
  NOT_ACCEPTABLE(406, "Not acceptable"),
  IDEMPOTENCY_KEY_REUSED(409, "Idempotency key was used with a different request"),
  WORKFLOW_NOT_RELEASED(409, "Workflow is not released"),
  NAME_TAKEN(409, "Name already in use"),
  CODE_TAKEN(409, "Code already in use"),
  INSTANCE_NOT_STOPPABLE(409, "Instance is already finished"),
  PAYLOAD_TOO_LARGE(413, "Request body too large"),
  UNSUPPORTED_MEDIA_TYPE(415, "Unsupported media type"),
  INVALID_DAG(422, "Workflow definition is invalid"),
  ADMISSION_QUEUE_FULL(429, "Admission queue is full"),
  RATE_LIMITED(429, "Rate limit exceeded"),
  AUTH_FAILURES_LIMITED(429, "Too many failed authentications from this client"),
  INTERNAL_ERROR(500, "Internal error"),
  QUEUE_TIMEOUT(503, "Waited too long in the admission queue"),
  STORE_UNAVAILABLE(503, "Store unavailable"),
  OUTCOME_UNKNOWN(503, "Commit outcome unknown; retry with the same Idempotency-Key"),
  SHUTTING_DOWN(503, "Service is shutting down");

  private final int status;
  private final String title;

  ErrorCode(int status, String title) {
    this.status = status;
    this.title = title;
  }

  public int status() {
    return status;
  }

  public String title() {
    return title;
  }

  /** Whether the client should retry later: those answers carry Retry-After. */
  public boolean retryable() {
    return status == 429 || status == 503;
  }
}
