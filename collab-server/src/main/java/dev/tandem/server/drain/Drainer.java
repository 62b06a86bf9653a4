package dev.tandem.server.drain;

import dev.tandem.server.Logging;
import dev.tandem.server.session.CloseCodes;
import dev.tandem.server.session.WriteBuffer;
import dev.tandem.server.ws.WebsocketEndpoints;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Graceful drain (SIGTERM), the part between "not ready" and stopping Vert.x; the node already
 * reports not-ready and refuses new sockets and REST requests (503 + {@code Retry-After}) when this
 * runs.
 *
 * <ol>
 *   <li>Every live socket (both protocols) is closed with {@code 1012} (service restart) and the
 *       reason {@value #REASON}, staggered evenly over {@code drain.stagger} (the i-th of n sockets
 *       after stagger × i / n), so clients reconnect spread out, through the gateway to other
 *       nodes. A closed socket's later frames are ignored.
 *   <li>Every update this node applied is flushed: the drain waits until the write buffer is empty
 *       (every session's append chain has stored its updates in Redis), also while the Redis breaker
 *       is open, until the deadline.
 * </ol>
 *
 * Both steps together stay within {@code drain.timeout} minus a reserve for stopping Vert.x and
 * the embedded Redis: the stagger window is cut to half the time left when it is longer.
 */
public final class Drainer {
  private static final Logger LOG = Logger.getLogger(Drainer.class.getName());
  public static final String REASON = "server restarting, reconnect";

  /** What the drain did: sockets closed, updates still unstored at the end (0 = complete). */
  public record Result(int sockets, long unflushedUpdates, long elapsedMillis) {
    public boolean complete() {
      return unflushedUpdates == 0;
    }
  }

  private final Vertx vertx;
  private final WebsocketEndpoints endpoints;
  private final WriteBuffer buffer;
  private final Duration stagger;

  public Drainer(Vertx vertx, WebsocketEndpoints endpoints, WriteBuffer buffer, Duration stagger) {
    this.vertx = vertx;
    this.endpoints = endpoints;
    this.buffer = buffer;
    this.stagger = stagger;
  }

  /** Runs the drain until {@code deadlineNanos} ({@link System#nanoTime()}) at the latest. Blocking; not on an event loop. */
  public Result drain(long deadlineNanos) {
    long start = System.nanoTime();
    List<Runnable> closers = endpoints.liveSocketClosers(CloseCodes.SERVICE_RESTART, REASON);
    int n = closers.size();
    long left = Math.max(0, deadlineNanos - start);
    long window = Math.min(stagger.toNanos(), left / 2);
    Logging.event(LOG, Level.INFO, "drain.start", "sockets", n, "staggerMs", window / 1_000_000,
        "bufferedUpdates", buffer.updates(), "deadlineMs", left / 1_000_000);
    CountDownLatch done = new CountDownLatch(n);
    for (int i = 0; i < n; i++) {
      Runnable close = closers.get(i);
      long delayMs = n <= 1 ? 0 : window * i / n / 1_000_000;
      Runnable counted = () -> {
        try {
          close.run();
        } finally {
          done.countDown();
        }
      };
      if (delayMs < 1) {
        counted.run();
      } else {
        vertx.setTimer(delayMs, t -> counted.run());
      }
    }
    try {
      if (!done.await(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS)) {
        LOG.warning("drain: not every socket was closed before the deadline");
      }
      Logging.event(LOG, Level.INFO, "drain.sockets_closed", "sockets", n,
          "elapsedMs", (System.nanoTime() - start) / 1_000_000, "bufferedUpdates", buffer.updates());
      // frames received just before a close may still be on their way into a session: settle, then
      // wait until the buffer is empty twice in a row
      Thread.sleep(50);
      int emptyInARow = 0;
      while (System.nanoTime() < deadlineNanos && emptyInARow < 2) {
        emptyInARow = buffer.updates() == 0 ? emptyInARow + 1 : 0;
        if (emptyInARow < 2) {
          Thread.sleep(20);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    long unflushed = buffer.updates();
    long elapsed = (System.nanoTime() - start) / 1_000_000;
    if (unflushed == 0) {
      Logging.event(LOG, Level.INFO, "drain.flushed", "sockets", n, "elapsedMs", elapsed);
    } else {
      Logging.event(LOG, Level.WARNING, "drain.incomplete", "sockets", n, "elapsedMs", elapsed,
          "unflushedUpdates", unflushed, "unflushedBytes", buffer.bytes());
    }
    return new Result(n, unflushed, elapsed);
  }
}
