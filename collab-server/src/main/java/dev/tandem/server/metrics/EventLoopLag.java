package dev.tandem.server.metrics;

import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Event-loop lag: every {@value #PERIOD_MS} ms a probe task is queued on each of the node's Netty
 * event loops; the time until it runs is that loop's lag (a loop blocked by a long task, or with a
 * long queue, shows it at once). Recorded in {@code tandem_event_loop_lag_seconds} (histogram) and
 * {@code tandem_event_loop_lag_max_seconds} (the worst loop now; a probe that has not run yet counts
 * with its age, so a stuck loop is visible while it is stuck).
 */
public final class EventLoopLag {
  static final long PERIOD_MS = 500;

  private final Vertx vertx;
  private final Metrics metrics;
  private final List<Probe> probes = new ArrayList<>();
  private long timer = -1;

  private static final class Probe {
    final EventExecutor loop;
    final AtomicLong queuedAt = new AtomicLong(-1);
    volatile long lastLag;

    Probe(EventExecutor loop) {
      this.loop = loop;
    }
  }

  public EventLoopLag(Vertx vertx, Metrics metrics) {
    this.vertx = vertx;
    this.metrics = metrics;
    for (EventExecutor e : ((io.vertx.core.internal.VertxInternal) vertx).nettyEventLoopGroup()) {
      probes.add(new Probe(e));
    }
  }

  /** Starts probing; registers the max gauge. */
  public EventLoopLag start() {
    metrics.gauge("tandem_event_loop_lag_max_seconds", "Largest current event-loop lag over the node's loops",
        this, l -> l.maxLagNanos() / 1e9);
    timer = vertx.setPeriodic(PERIOD_MS, t -> probe());
    return this;
  }

  private void probe() {
    for (Probe p : probes) {
      long now = System.nanoTime();
      if (!p.queuedAt.compareAndSet(-1, now)) {
        continue; // the last probe has not run yet
      }
      try {
        p.loop.execute(() -> {
          long lag = System.nanoTime() - p.queuedAt.getAndSet(-1);
          p.lastLag = lag;
          metrics.eventLoopLag(lag);
        });
      } catch (RuntimeException e) {
        p.queuedAt.set(-1); // loop shutting down
      }
    }
  }

  /** The worst lag now, in nanoseconds. */
  public long maxLagNanos() {
    long now = System.nanoTime();
    long max = 0;
    for (Probe p : probes) {
      long q = p.queuedAt.get();
      max = Math.max(max, Math.max(p.lastLag, q == -1 ? 0 : now - q));
    }
    return max;
  }

  public void stop() {
    if (timer != -1) {
      vertx.cancelTimer(timer);
    }
  }
}
