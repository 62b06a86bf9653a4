package dev.tandem.server;

/** A document name that {@link DocumentNames#validate} rejects; {@link #reason()} says why. */
public final class InvalidDocumentNameException extends IllegalArgumentException {
  private final String reason;

  public InvalidDocumentNameException(String reason) {
    super("invalid document name: " + reason);
    this.reason = reason;
  }

  public String reason() {
    return reason;
  }
}
