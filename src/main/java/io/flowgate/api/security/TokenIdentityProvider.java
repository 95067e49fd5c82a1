package io.flowgate.api.security;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Verifies a presented token through {@link TokenService} (hashed, constant time, expiry,
 * revocation, last use; cached by id) without blocking: the store is read with the reactive client.
 * The identity names the token, holds the {@code admin} role for an admin token and grants a {@link
 * ProjectPermission} for every project and scope the token has.
 */
@ApplicationScoped
public class TokenIdentityProvider implements IdentityProvider<TokenRequest> {

  private final TokenService tokens;

  public TokenIdentityProvider(TokenService tokens) {
    this.tokens = tokens;
  }

  @Override
  public Class<TokenRequest> getRequestType() {
    return TokenRequest.class;
  }

  @Override
  public Uni<SecurityIdentity> authenticate(
      TokenRequest request, AuthenticationRequestContext context) {
    return tokens
        .authenticate(request.token())
        .map(
            caller -> {
              if (caller == null) {
                // no cause: a refused token, told apart from a store that could not answer
                throw new AuthenticationFailedException("unknown, expired or revoked token");
              }
              return identity(caller);
            });
  }

  static SecurityIdentity identity(Caller caller) {
    QuarkusSecurityIdentity.Builder identity =
        QuarkusSecurityIdentity.builder()
            .setPrincipal(new QuarkusPrincipal(caller.subject()))
            .addAttribute(Caller.ATTRIBUTE, caller)
            .addPermissionChecker(
                required ->
                    Uni.createFrom()
                        .item(
                            required instanceof ProjectPermission project
                                && project.grantedTo(caller)));
    if (caller.admin()) {
      identity.addRole(Caller.ADMIN_ROLE);
    }
    return identity.build();
  }
}
