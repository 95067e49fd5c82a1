package io.flowgate.api.security;

import io.quarkus.security.identity.request.BaseAuthenticationRequest;

/** A token as presented in {@code Authorization: Bearer} or the DolphinScheduler header. */
public class TokenRequest extends BaseAuthenticationRequest {

  private final String token;

  public TokenRequest(String token) {
    this.token = token;
  }

  public String token() {
    return token;
  }
}
