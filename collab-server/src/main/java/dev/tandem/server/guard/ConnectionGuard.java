package dev.tandem.server.guard;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The per-connection limits of one websocket: message rate and byte rate of what the client sends
 * (two token buckets, checked on the socket's context) and the outbound queue (bytes handed to
 * Vert.x whose write has not completed, i.e. not yet taken by the OS; thread-safe, because sessions
 * write from their own contexts).
 */
public final class ConnectionGuard {
  private final Guards guards;
  private final TokenBucket messages;
  private final TokenBucket bytes;
  private final long messageRate;
  private final long byteRate;
  private final long outboundLimit;
  private final AtomicLong pending = new AtomicLong();

  ConnectionGuard(Guards guards, long messageRate, long messageBurst, long byteRate, long byteBurst, long outboundLimit) {
    long now = System.nanoTime();
    this.guards = guards;
    this.messageRate = messageRate;
    this.byteRate = byteRate;
    this.messages = new TokenBucket(messageRate, messageBurst, now);
    this.bytes = new TokenBucket(byteRate, byteBurst, now);
    this.outboundLimit = outboundLimit;
  }

  /** No limits (sockets created outside the endpoints, tests). */
  public static ConnectionGuard unlimited() {
    return new ConnectionGuard(null, Long.MAX_VALUE / 4, Long.MAX_VALUE / 4, Long.MAX_VALUE / 4, Long.MAX_VALUE / 4,
        Long.MAX_VALUE / 4);
  }

  /**
   * An inbound message of {@code size} bytes: null when it is within both rates, else the reason
   * (the socket is then closed with 4429). Call on the socket's context.
   */
  public String inbound(int size, long nowNanos) {
    if (!messages.tryTake(1, nowNanos)) {
      count(Guards.RATE_LIMITED);
      return "rate limit: more than guards.message-rate (" + messageRate + "/s) messages";
    }
    if (!bytes.tryTake(size, nowNanos)) {
      count(Guards.RATE_LIMITED);
      return "rate limit: more than guards.byte-rate (" + byteRate + " bytes/s)";
    }
    return null;
  }

  /** True when the socket's outbound queue is over {@code guards.outbound-queue}: a slow consumer. */
  public boolean outboundFull() {
    return pending.get() > outboundLimit;
  }

  /** Bytes queued for the socket and not yet written to the network. */
  public long pendingBytes() {
    return pending.get();
  }

  public long outboundLimit() {
    return outboundLimit;
  }

  /** A write of {@code n} bytes was handed to Vert.x. */
  public void queued(long n) {
    pending.addAndGet(n);
  }

  /** A write of {@code n} bytes completed (or failed). */
  public void written(long n) {
    pending.addAndGet(-n);
  }

  /** The socket is closed as a slow consumer. */
  public void slowConsumer() {
    count(Guards.SLOW_CONSUMER);
  }

  private void count(String code) {
    if (guards != null) {
      guards.count(code);
    }
  }
}
