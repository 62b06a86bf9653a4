package dev.tandem.server.guard;

/**
 * An update was refused because it could grow its document past {@code guards.max-document-size};
 * nothing of it was applied, relayed or stored.
 */
public final class DocumentTooLargeException extends RuntimeException {
  public DocumentTooLargeException(String message) {
    super(message, null, false, false);
  }
}
