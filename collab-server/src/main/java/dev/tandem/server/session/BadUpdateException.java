package dev.tandem.server.session;

/** A client-supplied update or state vector that does not decode; nothing was applied. */
public final class BadUpdateException extends RuntimeException {
  public BadUpdateException(String message, Throwable cause) {
    super(message, cause);
  }
}
