package dev.tandem.crdt;

/**
 * The one exception every decoder in this module throws for bytes it cannot accept: truncated
 * input, lengths beyond the buffer, integers wider than JavaScript's safe range, unknown
 * content references, absurd counts or nesting. It carries the byte offset at which the
 * problem was detected so that operators can locate it in a stored update.
 */
public final class MalformedDataException extends RuntimeException {
  private final long offset;

  public MalformedDataException(String message, long offset) {
    super(message + " (at byte " + offset + ")");
    this.offset = offset;
  }

  public MalformedDataException(String message, long offset, Throwable cause) {
    super(message + " (at byte " + offset + ")", cause);
    this.offset = offset;
  }

  /** Byte offset into the decoded buffer where decoding failed. */
  public long offset() {
    return offset;
  }
}
