package dev.tandem.server.auth;

/** The token does not grant access to the document; the message is sent to the client as the reason. */
public final class AuthenticationException extends RuntimeException {
  public AuthenticationException(String message) {
    super(message, null, false, false);
  }
}
