package dev.tandem.server.guard;

import com.sun.management.GarbageCollectionNotificationInfo;
import com.sun.management.GcInfo;
import dev.tandem.server.config.GuardSettings;
import dev.tandem.server.metrics.Metrics;
import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Logger;
import javax.management.ListenerNotFoundException;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * The node's session guards (architecture invariant 5; docs/architecture.md "Session guards"):
 *
 * <ul>
 *   <li>Admission, per node: websocket connections ({@link #tryAcquireConnection}), loaded
 *       documents ({@link #tryAcquireDocument}), and the heap-pressure and event-loop-lag guards,
 *       which refuse new sockets and new documents while exceeded ({@link #pressure}).
 *   <li>Per document: connections ({@link #documentConnectionsRefusal}) and size
 *       ({@link #maxDocumentSize}, enforced by the session before it applies an update).
 *   <li>Per connection: a {@link ConnectionGuard} (message and byte rate, outbound queue).
 *   <li>The capacity monitor: every {@code guards.monitor-interval} it samples the use of each
 *       guarded resource ({@link #usage}); when one reaches {@code guards.capacity-warning} of its
 *       limit it logs a warning and raises {@link #capacityWarning()} until all are below again.
 * </ul>
 *
 * Refusals are counted by code ({@link #refusals}). Thread-safe. Test hooks
 * ({@link #simulateHeapUsed}, {@link #simulateEventLoopLag}) stand in for a full heap or a blocked
 * loop.
 */
public final class Guards {
  private static final Logger LOG = Logger.getLogger(Guards.class.getName());

  /** Refusal codes (HTTP JSON {@code error}, Hocuspocus Close reasons start with the message). */
  public static final String TOO_MANY_CONNECTIONS = "too_many_connections";
  public static final String TOO_MANY_DOCUMENTS = "too_many_documents";
  public static final String TOO_MANY_DOCUMENT_CONNECTIONS = "too_many_document_connections";
  public static final String HEAP_PRESSURE = "heap_pressure";
  public static final String EVENT_LOOP_LAG = "event_loop_lag";
  public static final String DOCUMENT_TOO_LARGE = "document_too_large";
  public static final String RATE_LIMITED = "rate_limited";
  public static final String SLOW_CONSUMER = "slow_consumer";

  /** Why something was refused: a code (see the constants) and a human message. */
  public record Refusal(String code, String message) {}

  /** What the capacity monitor reads from the sessions (set by the session manager). */
  public interface Load {
    int loadedDocuments();

    /** Connections of the busiest document on this node. */
    int maxDocumentConnections();

    /** Use of the write buffer, 0..1 (the fuller of its two limits). */
    double writeBufferUse();
  }

  private final GuardSettings settings;
  private final AtomicInteger connections = new AtomicInteger();
  private final AtomicInteger documents = new AtomicInteger();
  private final Map<String, LongAdder> refusals = new ConcurrentHashMap<>();
  private volatile Load load = new Load() {
    @Override
    public int loadedDocuments() {
      return documents.get();
    }

    @Override
    public int maxDocumentConnections() {
      return 0;
    }

    @Override
    public double writeBufferUse() {
      return 0;
    }
  };
  private volatile double heapUsed;
  /** Heap used after the last GC as reported by a GC notification (NaN until one arrived). */
  private volatile double heapAfterGc = Double.NaN;
  private final List<Runnable> gcListenerRemovals = new ArrayList<>();
  private volatile Double heapOverride;
  private volatile Duration lagOverride;
  private final List<LagProbe> probes = new ArrayList<>();
  private volatile boolean running;
  private Vertx vertx;
  private long monitorTimer = -1;
  private volatile boolean capacityWarning;
  private volatile Map<String, Double> usage = Map.of();

  public Guards(GuardSettings settings) {
    this.settings = Objects.requireNonNull(settings);
  }

  /** Guards that never refuse (a session manager or socket built without a server, in tests). */
  public static Guards unlimited() {
    int i = Integer.MAX_VALUE;
    long l = Long.MAX_VALUE / 4;
    return new Guards(new GuardSettings(i, i, i, l, l, l, l, l, l, 1.0, Duration.ofDays(365), Duration.ofSeconds(1),
        1.0, Duration.ofSeconds(1), 1.0, Duration.ofSeconds(1)));
  }

  public GuardSettings settings() {
    return settings;
  }

  public void load(Load load) {
    this.load = Objects.requireNonNull(load);
  }

  // ------------------------------------------------------------------------------ lifecycle

  /** Starts the lag probes (one per event loop) and the capacity monitor (which samples the heap). */
  public synchronized void start(Vertx vertx) {
    if (running) {
      return;
    }
    running = true;
    this.vertx = vertx;
    long interval = settings.lagProbeInterval().toNanos();
    if (vertx instanceof VertxInternal vi) {
      for (EventExecutor loop : vi.eventLoopGroup()) {
        LagProbe p = new LagProbe(loop, interval, settings.lagProbeWeight());
        probes.add(p);
        p.schedule();
      }
    }
    listenToGc();
    sampleHeap();
    monitorTimer = vertx.setPeriodic(settings.monitorInterval().toMillis(), t -> {
      sampleHeap();
      checkCapacity();
    });
  }

  public synchronized void stop() {
    running = false;
    gcListenerRemovals.forEach(Runnable::run);
    gcListenerRemovals.clear();
    if (monitorTimer != -1 && vertx != null) {
      vertx.cancelTimer(monitorTimer);
      monitorTimer = -1;
    }
  }

  // ------------------------------------------------------------------------------ admission

  /**
   * A new websocket: refused under heap pressure or event-loop lag, or when the node holds
   * {@code guards.max-connections}; otherwise a slot is taken (give it back with
   * {@link #releaseConnection}). Returns null when admitted.
   */
  public Refusal tryAcquireConnection() {
    Refusal r = pressure();
    if (r != null) {
      return refused(r);
    }
    int n = connections.incrementAndGet();
    if (n > settings.maxConnections()) {
      connections.decrementAndGet();
      return refused(new Refusal(TOO_MANY_CONNECTIONS, "node at its connection limit (guards.max-connections="
          + settings.maxConnections() + "), try again later"));
    }
    return null;
  }

  public void releaseConnection() {
    connections.decrementAndGet();
  }

  /** Websocket connections of this node (slots taken). */
  public int connections() {
    return connections.get();
  }

  /**
   * Would a new document be admitted now? (No slot taken: the upgrade check of y-websocket; the
   * session manager takes the slot with {@link #tryAcquireDocument}.) Null when it would.
   */
  public Refusal newDocumentRefusal() {
    Refusal r = pressure();
    if (r == null && documents.get() >= settings.maxDocuments()) {
      r = documentsRefusal();
    }
    return r == null ? null : refused(r);
  }

  /** A new document (session): null and a slot taken, or the refusal. Release with {@link #releaseDocument}. */
  public Refusal tryAcquireDocument() {
    Refusal r = pressure();
    if (r != null) {
      return refused(r);
    }
    if (documents.incrementAndGet() > settings.maxDocuments()) {
      documents.decrementAndGet();
      return refused(documentsRefusal());
    }
    return null;
  }

  public void releaseDocument() {
    documents.decrementAndGet();
  }

  private Refusal documentsRefusal() {
    return new Refusal(TOO_MANY_DOCUMENTS, "node at its document limit (guards.max-documents="
        + settings.maxDocuments() + "), try again later");
  }

  /** A document with {@code current} connections takes one more? Null when it does. */
  public Refusal documentConnectionsRefusal(String document, int current) {
    if (current < settings.maxConnectionsPerDocument()) {
      return null;
    }
    return refused(new Refusal(TOO_MANY_DOCUMENT_CONNECTIONS, "document at its connection limit"
        + " (guards.max-connections-per-document=" + settings.maxConnectionsPerDocument() + "), try again later"));
  }

  /** Heap pressure or event-loop lag: null when neither guard is tripped. Not counted. */
  public Refusal pressure() {
    double heap = heapUsed();
    if (heap > settings.maxHeapUsed()) {
      return new Refusal(HEAP_PRESSURE, String.format(java.util.Locale.ROOT,
          "heap pressure (%.0f%% used after GC, guards.max-heap-used=%.0f%%), try again later", heap * 100,
          settings.maxHeapUsed() * 100));
    }
    Duration lag = eventLoopLag();
    if (lag.compareTo(settings.maxEventLoopLag()) > 0) {
      return new Refusal(EVENT_LOOP_LAG, "event loops lagging (" + lag.toMillis() + " ms, guards.max-event-loop-lag="
          + settings.maxEventLoopLag().toMillis() + " ms), try again later");
    }
    return null;
  }

  private Refusal refused(Refusal r) {
    count(r.code());
    return r;
  }

  void count(String code) {
    refusals.computeIfAbsent(code, k -> new LongAdder()).increment();
    Metrics.refusal(code);
  }

  /** Refusals (and disconnects: rate_limited, slow_consumer, document_too_large) since start, by code. */
  public Map<String, Long> refusals() {
    Map<String, Long> m = new LinkedHashMap<>();
    refusals.forEach((k, v) -> m.put(k, v.sum()));
    return m;
  }

  public long refusals(String code) {
    LongAdder a = refusals.get(code);
    return a == null ? 0 : a.sum();
  }

  /** A document update was refused for its size (counted). */
  public void documentTooLarge() {
    count(DOCUMENT_TOO_LARGE);
  }

  public long maxDocumentSize() {
    return settings.maxDocumentSize();
  }

  public long retryAfterSeconds() {
    return settings.retryAfterSeconds();
  }

  /** The limits of a new socket. */
  public ConnectionGuard connectionGuard() {
    return new ConnectionGuard(this, settings.messageRate(), settings.messageBurst(), settings.byteRate(),
        settings.byteBurst(), settings.outboundQueue());
  }

  // ------------------------------------------------------------------------------ heap and lag

  /**
   * Heap used after the last garbage collection, as a share of the max heap (0..1): from the GC
   * notifications (every collection, young ones included), else the pools' collection usage.
   */
  public double heapUsed() {
    Double o = heapOverride;
    if (o != null) {
      return o;
    }
    double g = heapAfterGc;
    return Double.isNaN(g) ? heapUsed : g;
  }

  private void listenToGc() {
    Set<String> heapPools = new HashSet<>();
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      if (p.getType() == MemoryType.HEAP) {
        heapPools.add(p.getName());
      }
    }
    long max = Runtime.getRuntime().maxMemory();
    if (max <= 0 || max == Long.MAX_VALUE) {
      return;
    }
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (!(gc instanceof NotificationEmitter emitter)) {
        continue;
      }
      NotificationListener listener = (n, handback) -> {
        if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
          return;
        }
        GcInfo info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData()).getGcInfo();
        long used = 0;
        for (Map.Entry<String, MemoryUsage> e : info.getMemoryUsageAfterGc().entrySet()) {
          if (heapPools.contains(e.getKey())) {
            used += e.getValue().getUsed();
          }
        }
        heapAfterGc = (double) used / max;
      };
      try {
        emitter.addNotificationListener(listener, null, null);
        gcListenerRemovals.add(() -> {
          try {
            emitter.removeNotificationListener(listener);
          } catch (ListenerNotFoundException ignored) {
            // already gone
          }
        });
      } catch (RuntimeException e) {
        LOG.fine(() -> "no GC notifications from " + gc.getName() + ": " + e);
      }
    }
  }

  private void sampleHeap() {
    long used = 0;
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      if (p.getType() == MemoryType.HEAP && p.isValid()) {
        MemoryUsage u = p.getCollectionUsage();
        if (u != null) {
          used += u.getUsed();
        }
      }
    }
    long max = Runtime.getRuntime().maxMemory();
    heapUsed = max <= 0 || max == Long.MAX_VALUE ? 0 : (double) used / max;
  }

  /**
   * The lag the guard judges: the largest over the event loops of each loop's moving average of its
   * probes' lags ({@link LagAverage}; a pending probe that is overdue counts as if it ran now). Not
   * the latest single probe: one late probe (a GC pause, a scheduling hiccup) does not trip the guard,
   * a lag that lasts does.
   */
  public Duration eventLoopLag() {
    Duration o = lagOverride;
    if (o != null) {
      return o;
    }
    long now = System.nanoTime();
    long max = 0;
    for (LagProbe p : probes) {
      max = Math.max(max, p.lag(now));
    }
    return Duration.ofNanos(max);
  }

  /** Test hook: pretend the heap is this full after GC (null: measure again). */
  public void simulateHeapUsed(Double fraction) {
    heapOverride = fraction;
  }

  /** Test hook: pretend the event loops lag this much (null: measure again). */
  public void simulateEventLoopLag(Duration lag) {
    lagOverride = lag;
  }

  /** Re-schedules itself on one event loop; measures how late each run is, into the loop's {@link LagAverage}. */
  private final class LagProbe implements Runnable {
    private final EventExecutor loop;
    private final long interval;
    private final LagAverage average;
    private volatile long due;

    LagProbe(EventExecutor loop, long interval, double weight) {
      this.loop = loop;
      this.interval = interval;
      this.average = new LagAverage(weight);
    }

    void schedule() {
      due = System.nanoTime() + interval;
      try {
        loop.schedule(this, interval, TimeUnit.NANOSECONDS);
      } catch (RuntimeException e) {
        // the loop is shutting down
      }
    }

    @Override
    public void run() {
      average.sample(System.nanoTime() - due);
      if (running) {
        schedule();
      }
    }

    long lag(long now) {
      return average.lagNanos(running ? now - due : 0);
    }
  }

  // ------------------------------------------------------------------------------ capacity monitor

  /**
   * Samples the use of every guarded resource (share of its limit); logs a warning when one reaches
   * {@code guards.capacity-warning} (and once more when all are back below it). Runs every
   * {@code guards.monitor-interval}; may be called any time (health checks, tests).
   */
  public synchronized Map<String, Double> checkCapacity() {
    Load l = load;
    Map<String, Double> u = new LinkedHashMap<>();
    u.put("connections", connections.get() / (double) settings.maxConnections());
    u.put("documents", l.loadedDocuments() / (double) settings.maxDocuments());
    u.put("document-connections", l.maxDocumentConnections() / (double) settings.maxConnectionsPerDocument());
    u.put("heap", heapUsed() / settings.maxHeapUsed());
    u.put("event-loop-lag", eventLoopLag().toNanos() / (double) settings.maxEventLoopLag().toNanos());
    u.put("write-buffer", l.writeBufferUse());
    usage = Map.copyOf(u);
    List<String> high = new ArrayList<>();
    u.forEach((k, v) -> {
      if (v >= settings.capacityWarning()) {
        high.add(String.format(java.util.Locale.ROOT, "%s %.0f%%", k, v * 100));
      }
    });
    boolean warn = !high.isEmpty();
    if (warn && !capacityWarning) {
      LOG.warning("capacity warning: " + String.join(", ", high) + " of the limit (guards.capacity-warning="
          + Math.round(settings.capacityWarning() * 100) + "%)");
    } else if (!warn && capacityWarning) {
      LOG.info("capacity back below " + Math.round(settings.capacityWarning() * 100) + "% of every limit");
    }
    capacityWarning = warn;
    return usage;
  }

  /**
   * True while any guarded resource is at or above {@code guards.capacity-warning} of its limit (as
   * of the last sample). For metrics and health.
   */
  public boolean capacityWarning() {
    return capacityWarning;
  }

  /**
   * Use of each guarded resource as a share of its limit (1.0 = at the limit), as of the last sample:
   * {@code connections}, {@code documents}, {@code document-connections} (the busiest document),
   * {@code heap}, {@code event-loop-lag}, {@code write-buffer}.
   */
  public Map<String, Double> usage() {
    return usage;
  }
}
