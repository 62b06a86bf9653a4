package dev.tandem.server.guard;

/**
 * A guard refused a new socket, document or document connection (node or document at its limit,
 * heap pressure, event-loop lag). Nothing was changed; the client may retry after
 * {@code guards.retry-after}.
 */
public final class CapacityException extends RuntimeException {
  private final Guards.Refusal refusal;

  public CapacityException(Guards.Refusal refusal) {
    super(refusal.message(), null, false, false);
    this.refusal = refusal;
  }

  public Guards.Refusal refusal() {
    return refusal;
  }

  /** The machine-readable code: {@code too_many_connections}, {@code heap_pressure}, ... */
  public String code() {
    return refusal.code();
  }
}
