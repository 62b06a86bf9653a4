package dev.tandem.server.session;

/** The session was evicted or deleted before the operation reached it; callers retry with a fresh session. */
public final class SessionClosedException extends RuntimeException {
  public SessionClosedException(String document) {
    super("session of " + document + " is closed", null, false, false);
  }
}
