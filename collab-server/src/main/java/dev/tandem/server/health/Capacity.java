package dev.tandem.server.health;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;

/**
 * What each guarded resource of the node uses against its limit, for readiness (a node with any
 * resource at its limit is not ready: {@code 503 AT_CAPACITY}), {@code GET /api/system/health}
 * ({@code capacity}) and the metric {@code tandem_capacity_used_ratio{guard}}. Guards register their
 * resource once at start: {@code capacity.register("connections", live::get, () -> maxConnections)};
 * a limit of 0 or less means unlimited (shown, never "at capacity"). Thread-safe.
 */
public final class Capacity {
  /** One resource now. {@code ratio} is used / limit, or -1 when unlimited. */
  public record Use(String guard, long used, long limit) {
    public double ratio() {
      return limit > 0 ? (double) used / limit : -1;
    }

    public boolean exhausted() {
      return limit > 0 && used >= limit;
    }
  }

  private record Entry(String guard, LongSupplier used, LongSupplier limit) {}

  private final List<Entry> entries = new CopyOnWriteArrayList<>();
  private final List<java.util.function.Consumer<String>> listeners = new CopyOnWriteArrayList<>();

  /** Adds (or replaces) a guarded resource. */
  public void register(String guard, LongSupplier used, LongSupplier limit) {
    entries.removeIf(e -> e.guard().equals(guard));
    entries.add(new Entry(guard, used, limit));
    listeners.forEach(l -> l.accept(guard));
  }

  /** Called with each guard name registered from now on (and for those already registered). */
  public void onRegister(java.util.function.Consumer<String> listener) {
    listeners.add(listener);
    entries.forEach(e -> listener.accept(e.guard()));
  }

  /** Every resource, in registration order. */
  public List<Use> snapshot() {
    List<Use> out = new ArrayList<>();
    for (Entry e : entries) {
      out.add(new Use(e.guard(), e.used().getAsLong(), e.limit().getAsLong()));
    }
    return out;
  }

  /** The resource named {@code guard}, or null. */
  public Use get(String guard) {
    for (Entry e : entries) {
      if (e.guard().equals(guard)) {
        return new Use(e.guard(), e.used().getAsLong(), e.limit().getAsLong());
      }
    }
    return null;
  }

  /** Resources at their limit. */
  public List<Use> exhausted() {
    return snapshot().stream().filter(Use::exhausted).toList();
  }
}
