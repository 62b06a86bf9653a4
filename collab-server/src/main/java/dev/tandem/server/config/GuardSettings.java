package dev.tandem.server.config;

import java.time.Duration;
import java.util.Objects;

/**
 * The session guards and rate limits ({@code guards.*} settings; README Configuration table,
 * docs/architecture.md "Session guards").
 *
 * @param maxConnections websocket connections per node
 * @param maxDocuments loaded documents (sessions) per node
 * @param maxConnectionsPerDocument connections attached to one document on this node
 * @param maxDocumentSize bytes of a document (its stored updates); growth past it is refused
 * @param messageRate messages per second per connection (token bucket refill)
 * @param messageBurst message bucket capacity
 * @param byteRate bytes per second per connection (token bucket refill)
 * @param byteBurst byte bucket capacity
 * @param outboundQueue bytes written to a socket but not yet handed to the OS before it is a slow consumer
 * @param maxHeapUsed fraction of the max heap used after GC above which new sockets and documents are refused
 * @param maxEventLoopLag event-loop lag above which new sockets and documents are refused
 * @param lagProbeInterval how often each event loop is probed for lag
 * @param lagProbeWeight weight (0..1] of each new probe in a loop's moving average of lags, which the
 *     lag guard compares with {@code maxEventLoopLag} (1 = the latest probe alone)
 * @param retryAfter the {@code Retry-After} of refusals
 * @param capacityWarning fraction of a limit above which the capacity monitor warns
 * @param monitorInterval how often the capacity monitor (and the heap guard) samples
 */
public record GuardSettings(int maxConnections, int maxDocuments, int maxConnectionsPerDocument, long maxDocumentSize,
    long messageRate, long messageBurst, long byteRate, long byteBurst, long outboundQueue, double maxHeapUsed,
    Duration maxEventLoopLag, Duration lagProbeInterval, double lagProbeWeight, Duration retryAfter, double capacityWarning,
    Duration monitorInterval) {

  public GuardSettings {
    Objects.requireNonNull(maxEventLoopLag);
    Objects.requireNonNull(lagProbeInterval);
    if (!(lagProbeWeight > 0 && lagProbeWeight <= 1)) {
      throw new IllegalArgumentException("lagProbeWeight must be in (0, 1], got " + lagProbeWeight);
    }
    Objects.requireNonNull(retryAfter);
    Objects.requireNonNull(monitorInterval);
  }

  /** {@code Retry-After} in whole seconds, at least 1. */
  public long retryAfterSeconds() {
    return Math.max(1, (retryAfter.toMillis() + 999) / 1000);
  }
}
