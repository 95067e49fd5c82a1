package io.flowgate.worker;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Set;

/**
 * Resolves an HTTP task's host right before the call and refuses it when any address it resolves to
 * is link-local, unspecified, multicast or a cloud metadata address: a DNS name (or a decimal or
 * IPv4-mapped literal) that points there is refused like the literal address would be. The lookup
 * runs off the event loop and is bounded.
 */
@ApplicationScoped
public class HttpTargetGuard {

  private static final Set<String> METADATA_ADDRESSES =
      Set.of("169.254.169.254", "100.100.100.200", "fd00:ec2:0:0:0:0:0:254");
  private static final Duration MAX_LOOKUP = Duration.ofSeconds(5);

  private final Vertx vertx;

  public HttpTargetGuard(Vertx vertx) {
    this.vertx = vertx;
  }

  /** Null when the URL's host may be called, else why not. */
  public Uni<String> problem(String url, Duration timeout) {
    String host = URI.create(url).getHost();
    if (host == null) {
      return Uni.createFrom().item("HTTP url needs a host");
    }
    String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    Duration bound = timeout.compareTo(MAX_LOOKUP) < 0 ? timeout : MAX_LOOKUP;
    return vertx
        .executeBlocking(Uni.createFrom().item(() -> problem(bare)), false)
        .ifNoItem()
        .after(bound)
        .recoverWithItem(() -> "HTTP host '" + bare + "' did not resolve within " + bound);
  }

  static String problem(String host) {
    InetAddress[] addresses;
    try {
      addresses = InetAddress.getAllByName(host);
    } catch (UnknownHostException e) {
      return "HTTP host '" + host + "' does not resolve";
    }
    for (InetAddress address : addresses) {
      if (refused(address)) {
        return "HTTP host '"
            + host
            + "' resolves to "
            + address.getHostAddress()
            + ", a link-local, unspecified, multicast or metadata address";
      }
    }
    return null;
  }

  static boolean refused(InetAddress address) {
    return address.isLinkLocalAddress()
        || address.isAnyLocalAddress()
        || address.isMulticastAddress()
        || METADATA_ADDRESSES.contains(address.getHostAddress());
  }
}
