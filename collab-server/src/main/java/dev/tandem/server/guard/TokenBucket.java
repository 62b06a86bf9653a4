package dev.tandem.server.guard;

/**
 * A token bucket: {@code capacity} tokens, refilled at {@code ratePerSecond}; starts full. Not
 * thread-safe (one per connection, used on the connection's context).
 */
public final class TokenBucket {
  private final double ratePerNano;
  private final double capacity;
  private double tokens;
  private long last;

  public TokenBucket(double ratePerSecond, double capacity, long nowNanos) {
    this.ratePerNano = ratePerSecond / 1e9;
    this.capacity = capacity;
    this.tokens = capacity;
    this.last = nowNanos;
  }

  /** Takes {@code n} tokens if there are that many; false (and nothing taken) otherwise. */
  public boolean tryTake(double n, long nowNanos) {
    long elapsed = nowNanos - last;
    if (elapsed > 0) {
      tokens = Math.min(capacity, tokens + elapsed * ratePerNano);
      last = nowNanos;
    }
    if (tokens < n) {
      return false;
    }
    tokens -= n;
    return true;
  }
}
