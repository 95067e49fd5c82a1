package io.flowgate.api;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.flowgate.definition.SafeText;
import io.flowgate.problem.ErrorCode;
import io.flowgate.problem.FlowgateException;
import io.flowgate.problem.Problems;
import io.flowgate.store.StoreFailures;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.quarkus.logging.Log;
import jakarta.ws.rs.NotAcceptableException;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.stream.Collectors;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Maps every failure to a definitive answer with a code; never a stack trace or SQL. */
public class ProblemMapper {

  @ServerExceptionMapper
  public Response flowgate(FlowgateException e, UriInfo uri) {
    markSpan(e.code());
    return Problems.response(
        path(uri), e.code(), e.getMessage(), e.retryAfterSeconds(), e.idempotencyKey());
  }

  // syntax (duplicate keys and too deep nesting included) is BAD_REQUEST at any depth; a wrong
  // value or type is VALIDATION_FAILED naming the field, unless the field name is not plain text
  @ServerExceptionMapper
  public Response json(JsonProcessingException e, UriInfo uri) {
    if (!malformed(e)
        && e instanceof JsonMappingException mapping
        && !mapping.getPath().isEmpty()) {
      markSpan(ErrorCode.VALIDATION_FAILED);
      String field =
          mapping.getPath().stream()
              .map(
                  r ->
                      r.getFieldName() != null
                          ? "." + SafeText.shown(r.getFieldName())
                          : "[" + r.getIndex() + "]")
              .collect(Collectors.joining())
              .replaceFirst("^\\.", "");
      return Problems.response(
          path(uri), ErrorCode.VALIDATION_FAILED, field + ": invalid value or type", 0);
    }
    markSpan(ErrorCode.BAD_REQUEST);
    return Problems.response(path(uri), ErrorCode.BAD_REQUEST, "malformed JSON", 0);
  }

  private static boolean malformed(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof JsonParseException || t instanceof StreamConstraintsException) {
        return true;
      }
    }
    return false;
  }

  // more specific than the mapper the JSON extension registers for it, so this one wins
  @ServerExceptionMapper
  public Response mismatchedInput(MismatchedInputException e, UriInfo uri) {
    return json(e, uri);
  }

  @ServerExceptionMapper
  public Response web(WebApplicationException e, UriInfo uri) {
    ErrorCode code = codeOf(e);
    if (e.getCause() instanceof JsonProcessingException json) {
      return json(json, uri);
    }
    markSpan(code);
    return Problems.response(path(uri), code, code.title(), 0);
  }

  @ServerExceptionMapper
  public Response unexpected(Exception e, UriInfo uri) {
    if (StoreFailures.isStoreUnavailable(e)) {
      Log.warnf("store unavailable on %s: %s", path(uri), e.getMessage());
      markSpan(ErrorCode.STORE_UNAVAILABLE);
      return Problems.response(
          path(uri), ErrorCode.STORE_UNAVAILABLE, "the store is unavailable; retry later", 1);
    }
    Log.errorf(e, "unexpected failure on %s", path(uri));
    markSpan(ErrorCode.INTERNAL_ERROR);
    return Problems.response(
        path(uri), ErrorCode.INTERNAL_ERROR, "unexpected error; see the trace", 0);
  }

  private static ErrorCode codeOf(WebApplicationException e) {
    if (e instanceof NotFoundException) {
      return ErrorCode.NOT_FOUND;
    }
    if (e instanceof NotAllowedException) {
      return ErrorCode.METHOD_NOT_ALLOWED;
    }
    if (e instanceof NotSupportedException) {
      return ErrorCode.UNSUPPORTED_MEDIA_TYPE;
    }
    if (e instanceof NotAcceptableException) {
      return ErrorCode.NOT_ACCEPTABLE;
    }
    return e.getResponse().getStatus() == 413 ? ErrorCode.PAYLOAD_TOO_LARGE : ErrorCode.BAD_REQUEST;
  }

  static void markSpan(ErrorCode code) {
    Span span = Span.current();
    span.setAttribute("flowgate.error.code", code.name());
    if (code.status() >= 500 || code.retryable()) {
      span.setStatus(StatusCode.ERROR, code.name());
    }
  }

  static String path(UriInfo uri) {
    String p = uri.getPath();
    return p.startsWith("/") ? p : "/" + p;
  }
}
