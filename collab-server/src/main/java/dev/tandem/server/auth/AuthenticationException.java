package dev.tandem.server.auth;

/**
 * The token is missing, malformed, badly signed, expired or otherwise not acceptable (HTTP 401,
 * Hocuspocus PermissionDenied, close 4401). {@link #code()} is the machine-readable REST error code;
 * the message is sent to the client as the reason and never contains the token.
 */
public final class AuthenticationException extends RuntimeException {
  public static final String MISSING = "missing_token";
  public static final String INVALID = "invalid_token";
  public static final String EXPIRED = "token_expired";

  private final String code;

  public AuthenticationException(String code, String message) {
    super(message, null, false, false);
    this.code = code;
  }

  public AuthenticationException(String message) {
    this(INVALID, message);
  }

  public String code() {
    return code;
  }
}
