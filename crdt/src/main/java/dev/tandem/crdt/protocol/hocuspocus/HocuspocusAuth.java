package dev.tandem.crdt.protocol.hocuspocus;

import java.util.Objects;

/** The body of a Hocuspocus Auth (2) message: a sub-type var-uint then its fields. */
public sealed interface HocuspocusAuth {
  /**
   * Client to server, sub-type 0: the token, then (provider 2.x and later, including 4.8.0) the
   * provider's version string, which the server reads past. {@code providerVersion} is null
   * when absent.
   */
  record Token(String token, String providerVersion) implements HocuspocusAuth {
    public Token {
      Objects.requireNonNull(token, "token");
    }
  }

  /**
   * Server to client, sub-type 0 with no body ({@code writeTokenSyncRequest}): asks the
   * provider to send its token again.
   */
  record TokenRequest() implements HocuspocusAuth {}

  /** Server to client, sub-type 1: authentication failed, with a reason string. */
  record PermissionDenied(String reason) implements HocuspocusAuth {
    public PermissionDenied {
      Objects.requireNonNull(reason, "reason");
    }
  }

  /** Server to client, sub-type 2: authentication passed, with the granted scope. */
  record Authenticated(AuthorizedScope scope) implements HocuspocusAuth {
    public Authenticated {
      Objects.requireNonNull(scope, "scope");
    }
  }
}
