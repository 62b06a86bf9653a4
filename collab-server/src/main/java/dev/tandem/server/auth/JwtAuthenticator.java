package dev.tandem.server.auth;

import dev.tandem.server.config.AuthSettings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.NoSuchKeyIdException;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.security.SignatureException;
import java.util.List;

/**
 * JWT bearer tokens ({@code vertx-auth-jwt}), verified inline (no I/O). Claims (README,
 * "Authentication"): {@code exp} (required), {@code sub} (required), {@code docs} (document name or
 * prefix pattern to {@code "rw"} / {@code "ro"}, see {@link DocumentGrants}), {@code admin}
 * (boolean), and {@code iss} / {@code aud} when configured; {@code nbf} and {@code iat} are checked
 * when present. Failure messages describe what is wrong and never contain the token.
 */
public final class JwtAuthenticator implements Authenticator {
  /** Longer tokens are refused before any parsing. */
  static final int MAX_TOKEN_LENGTH = 16 * 1024;

  private final JWTAuth jwt;
  private final long leewayMillis;

  private JwtAuthenticator(JWTAuth jwt, long leewayMillis) {
    this.jwt = jwt;
    this.leewayMillis = leewayMillis;
  }

  /** Loads the configured keys; throws {@link dev.tandem.server.config.ConfigException} on a bad or missing key. */
  public static JwtAuthenticator create(Vertx vertx, AuthSettings s) {
    JWTAuthOptions options = JwtKeys.options(s);
    JWTOptions jwtOptions = new JWTOptions().setLeeway((int) s.leeway().toSeconds());
    if (!s.issuer().isEmpty()) {
      jwtOptions.setIssuer(s.issuer());
    }
    if (!s.audience().isEmpty()) {
      jwtOptions.setAudience(List.of(s.audience()));
    }
    options.setJWTOptions(jwtOptions);
    return new JwtAuthenticator(JWTAuth.create(vertx, options), s.leeway().toMillis());
  }

  @Override
  public boolean required() {
    return true;
  }

  @Override
  public Future<Principal> authenticate(String token) {
    if (token == null || token.isBlank()) {
      return Future.failedFuture(new AuthenticationException(AuthenticationException.MISSING, "a bearer token is required"));
    }
    if (token.length() > MAX_TOKEN_LENGTH) {
      return Future.failedFuture(new AuthenticationException("token longer than " + MAX_TOKEN_LENGTH + " characters"));
    }
    Future<User> verified;
    try {
      verified = jwt.authenticate(new TokenCredentials(token));
    } catch (RuntimeException e) {
      return Future.failedFuture(translate(e));
    }
    return verified.transform(ar -> {
      if (ar.failed()) {
        return Future.failedFuture(translate(ar.cause()));
      }
      try {
        return Future.succeededFuture(principal(ar.result().attributes().getJsonObject("accessToken")));
      } catch (AuthenticationException e) {
        return Future.failedFuture(e);
      } catch (RuntimeException e) {
        return Future.failedFuture(new AuthenticationException("token claims are malformed"));
      }
    });
  }

  private Principal principal(JsonObject claims) {
    if (claims == null) {
      throw new AuthenticationException("token has no claims");
    }
    if (!(claims.getValue("exp") instanceof Number exp)) {
      throw new AuthenticationException("token has no numeric 'exp' claim (tokens must expire)");
    }
    if (!(claims.getValue("sub") instanceof String sub) || sub.isEmpty()) {
      throw new AuthenticationException("token has no 'sub' claim");
    }
    Object admin = claims.getValue("admin");
    if (admin != null && !(admin instanceof Boolean)) {
      throw new AuthenticationException("claim 'admin' must be true or false");
    }
    long expiresAt = (long) Math.floor(exp.doubleValue() * 1000) + leewayMillis;
    if (expiresAt <= System.currentTimeMillis()) {
      throw new AuthenticationException(AuthenticationException.EXPIRED, "token expired");
    }
    return new Principal(sub, expiresAt, Boolean.TRUE.equals(admin), DocumentGrants.parse(claims.getValue("docs")));
  }

  /** A client-facing reason for a verification failure (never the token itself). */
  private static AuthenticationException translate(Throwable e) {
    if (e instanceof AuthenticationException a) {
      return a;
    }
    String m = String.valueOf(e.getMessage());
    if (m.contains("expired")) {
      return new AuthenticationException(AuthenticationException.EXPIRED, "token expired (or not yet valid)");
    }
    if (e instanceof SignatureException || m.contains("Signature verification failed")) {
      return new AuthenticationException("token signature is invalid");
    }
    if (e instanceof NoSuchKeyIdException) {
      return new AuthenticationException("no configured key verifies this token (algorithm or kid not accepted)");
    }
    if (m.contains("issuer")) {
      return new AuthenticationException("token issuer is not accepted");
    }
    if (m.contains("audience")) {
      return new AuthenticationException("token audience is not accepted");
    }
    if (m.contains("not signed") || m.contains("\"none\"") || m.contains("Signature is required")) {
      return new AuthenticationException("token is not signed");
    }
    return new AuthenticationException("malformed token");
  }
}
