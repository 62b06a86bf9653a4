package dev.tandem.server.auth;

import io.vertx.core.Future;

/**
 * Verifies a bearer token. Called on an event loop; must not block (the JWT authenticator verifies
 * signatures inline). Fails with {@link AuthenticationException} (HTTP 401, Hocuspocus
 * PermissionDenied, close 4401); whether the principal opens a document is the caller's check
 * ({@link Principal#access}; HTTP 403, PermissionDenied, close 4403).
 */
public interface Authenticator {
  /** Verifies {@code token} (null or empty when the client sent none). */
  Future<Principal> authenticate(String token);

  /** False for {@link #allowAll()}: tokens are neither required nor checked. */
  boolean required();

  /** auth.mode=none (development): every token, also none, is {@link Principal#ANONYMOUS}. */
  static Authenticator allowAll() {
    return new Authenticator() {
      @Override
      public Future<Principal> authenticate(String token) {
        return Future.succeededFuture(Principal.ANONYMOUS);
      }

      @Override
      public boolean required() {
        return false;
      }
    };
  }
}
