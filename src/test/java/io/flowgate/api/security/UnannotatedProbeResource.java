package io.flowgate.api.security;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** A test-only endpoint that declares no security at all: deny-by-default must refuse it. */
@Path("/api/v1/test-only/unannotated")
@Produces(MediaType.TEXT_PLAIN)
public class UnannotatedProbeResource {

  static final String SECRET = "served without a declaration";

  @GET
  public String probe() {
    return SECRET;
  }
}
