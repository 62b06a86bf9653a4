package dev.tandem.server.session;

/** A document could not be loaded because Redis did not answer (down, slow, or circuit breaker open). */
public final class StorageUnavailableException extends RuntimeException {
  public StorageUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
