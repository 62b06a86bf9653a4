package dev.tandem.server.session;

/**
 * An update was refused because this node's write buffer (updates applied but not yet stored in
 * Redis, {@code write-buffer.max-updates} / {@code write-buffer.max-bytes}) is full. Nothing was
 * applied, relayed or stored; the client still holds the update and sends it again on its next sync.
 */
public final class WriteBufferFullException extends RuntimeException {
  public WriteBufferFullException(String message) {
    super(message, null, false, false);
  }
}
