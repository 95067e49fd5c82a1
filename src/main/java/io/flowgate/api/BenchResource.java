package io.flowgate.api;

import io.flowgate.config.BenchConfig;
import io.flowgate.problem.ErrorCode;
import io.flowgate.problem.FlowgateException;
import io.flowgate.problem.Problems;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;

/**
 * {@code POST /bench/echo}: the same HTTP, JSON and tracing stack with no database, the ceiling a
 * start benchmark is compared with. Off unless {@code flowgate.bench.echo-enabled=true}.
 */
@Path("/bench/echo")
@PermitAll
public class BenchResource {

  private final BenchConfig config;

  public BenchResource(BenchConfig config) {
    this.config = config;
  }

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces(MediaType.APPLICATION_JSON)
  public Map<String, Object> echo(StartRequest body) {
    if (!config.echoEnabled()) {
      throw new FlowgateException(ErrorCode.NOT_FOUND, "not found");
    }
    return Map.of("echo", body == null ? Map.of() : body, "traceId", Problems.traceId());
  }
}
