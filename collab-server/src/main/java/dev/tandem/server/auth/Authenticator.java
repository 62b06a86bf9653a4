package dev.tandem.server.auth;

import io.vertx.core.Future;

/**
 * Decides what a token grants for one document. Called on an event loop; must not block (a JWT
 * authenticator verifies signatures inline or on a worker). Fails with
 * {@link AuthenticationException} to refuse (Hocuspocus PermissionDenied with its message; HTTP 401/403
 * on y-websocket and REST once those check tokens).
 */
public interface Authenticator {
  Future<Access> authenticate(String token, String documentName);

  /** No authentication configured (development): every token, also none, is read-write. */
  static Authenticator allowAll() {
    return (token, doc) -> Future.succeededFuture(Access.READ_WRITE);
  }
}
