package dev.tandem.server.guard;

/**
 * One event loop's lag as the event-loop-lag guard judges it: an exponentially weighted moving
 * average (EWMA) of how late its probes ran, each new probe weighing {@code weight}
 * ({@code guards.lag-probe-weight}).
 *
 * <p>Why an average and not the last probe: one late probe is usually not the server's doing (a GC
 * pause, the OS scheduling other processes) and is over by the time anyone is refused; judged by
 * single probes, the guard refused sockets and documents after every such hiccup. Why an EWMA and
 * not "the last N probes were all late": a loop whose lag hovers around the limit (1.1 s, 0.9 s,
 * 1.2 s, ...) is overloaded although no N probes in a row are late, and a loop that is blocked
 * outright produces no probes at all. The EWMA handles the first on its own; for the second, the
 * probe a loop still owes counts as if it ran now ({@link #lagNanos}), so a stuck loop trips the
 * guard once its probe is about {@code limit / weight} overdue. One number per loop, O(1) per probe.
 *
 * <p>Thread-safety: {@link #sample} runs on the loop's own thread only (one writer); readers on any
 * thread see the latest average through the volatile field.
 */
final class LagAverage {
  private final double weight;
  /** The average in nanoseconds; written by the loop's thread only. */
  private volatile double average;

  LagAverage(double weight) {
    if (!(weight > 0 && weight <= 1)) {
      throw new IllegalArgumentException("weight must be in (0, 1], got " + weight);
    }
    this.weight = weight;
  }

  /** A probe ran {@code lagNanos} late (on the loop's thread). */
  void sample(long lagNanos) {
    double a = average;
    average = a + weight * (Math.max(0, lagNanos) - a);
  }

  /**
   * The loop's lag now. {@code overdueNanos} is how long the loop's pending probe has been due (0
   * or less when it is not due yet): counted as if that probe ran now, when that raises the average,
   * so a loop that is stuck shows it while it is stuck.
   */
  long lagNanos(long overdueNanos) {
    double a = average;
    return (long) (overdueNanos > a ? a + weight * (overdueNanos - a) : a);
  }
}
