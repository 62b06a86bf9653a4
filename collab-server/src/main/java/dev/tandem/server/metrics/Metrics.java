package dev.tandem.server.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * The node's meters (Micrometer, scraped as Prometheus text on {@code GET /metrics}); every name is
 * listed in {@code docs/operations.md}. One instance per node, bound to the node's {@link Vertx} (so
 * several nodes in one JVM, as in tests, keep separate numbers); code that has no handle on it finds
 * it through {@link #of(Vertx)} or {@link #current()}. Code running without a node (unit tests of a
 * single class) gets a no-op instance. Every method is cheap, thread-safe and never throws.
 *
 * <p><b>For guards:</b> {@link #refusal(String)} counts one refused socket, request, document or
 * message in {@code tandem_guard_refusals_total{reason}}. Call it on a Vert.x thread of the node (any
 * event loop or worker of it); use short, fixed, lower-case reasons (e.g. {@code max_connections},
 * {@code message_rate}, {@code heap_pressure}): they become label values, so never put names,
 * addresses or other unbounded text in them.
 */
public final class Metrics {
  /** Protocol label values. */
  public static final String Y_WEBSOCKET = "y-websocket";
  public static final String HOCUSPOCUS = "hocuspocus";
  public static final String REST = "rest";

  private static final Map<Vertx, Metrics> BY_VERTX = new ConcurrentHashMap<>();
  private static final Metrics NOOP = new Metrics(new CompositeMeterRegistry(), null);

  private final MeterRegistry registry;
  private final PrometheusMeterRegistry prometheus;
  /** Binders that hold JVM listeners (closed with the registry). */
  private final java.util.List<AutoCloseable> closeables = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final Map<String, AtomicInteger> connections = new ConcurrentHashMap<>();
  private final Map<String, Counter> counters = new ConcurrentHashMap<>();
  private final Map<String, Traffic> traffic = new ConcurrentHashMap<>();
  private final Map<String, Timer> timers = new ConcurrentHashMap<>();
  private final Timer applyTimer;
  private final Timer appendTimer;
  private final Timer compactionTimer;
  private final DistributionSummary eventLoopLag;

  private Metrics(MeterRegistry registry, PrometheusMeterRegistry prometheus) {
    this.registry = registry;
    this.prometheus = prometheus;
    this.applyTimer = Timer.builder("tandem_update_apply").description("Applying one update to a document in memory")
        .publishPercentileHistogram().minimumExpectedValue(Duration.ofNanos(10_000))
        .maximumExpectedValue(Duration.ofSeconds(10)).register(registry);
    this.appendTimer = Timer.builder("tandem_redis_append")
        .description("One Redis append of an update (each attempt, failed ones included)")
        .publishPercentileHistogram().minimumExpectedValue(Duration.ofNanos(50_000))
        .maximumExpectedValue(Duration.ofSeconds(30)).register(registry);
    this.compactionTimer = Timer.builder("tandem_compaction").description("One compaction pass of a document")
        .publishPercentileHistogram().maximumExpectedValue(Duration.ofMinutes(2)).register(registry);
    this.eventLoopLag = DistributionSummary.builder("tandem_event_loop_lag")
        .description("Delay of a probe task queued on an event loop (sampled every 500 ms per loop)")
        .baseUnit("seconds").publishPercentileHistogram().minimumExpectedValue(1e-5).maximumExpectedValue(30.0)
        .register(registry);
  }

  /** Creates the node's registry (Prometheus, with the JVM and process binders) and binds it to {@code vertx} later. */
  public static Metrics create() {
    PrometheusMeterRegistry p = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new ClassLoaderMetrics().bindTo(p);
    new JvmMemoryMetrics().bindTo(p);
    JvmGcMetrics gc = new JvmGcMetrics();
    gc.bindTo(p);
    new JvmThreadMetrics().bindTo(p);
    new ProcessorMetrics().bindTo(p);
    new UptimeMetrics().bindTo(p);
    new FileDescriptorMetrics().bindTo(p);
    Metrics m = new Metrics(p, p);
    m.closeables.add(gc);
    return m;
  }

  /** Makes this the instance {@link #of(Vertx)} and {@link #current()} return for {@code vertx}. */
  public Metrics bind(Vertx vertx) {
    BY_VERTX.put(vertx, this);
    return this;
  }

  /** Forgets the binding (the node stopped). */
  public void unbind(Vertx vertx) {
    BY_VERTX.remove(vertx, this);
  }

  /** The node's metrics for {@code vertx}; a no-op instance when none is bound. */
  public static Metrics of(Vertx vertx) {
    Metrics m = vertx == null ? null : BY_VERTX.get(vertx);
    return m != null ? m : NOOP;
  }

  /** The metrics of the node whose Vert.x thread this is; a no-op instance elsewhere. */
  public static Metrics current() {
    Context c = Vertx.currentContext();
    return c == null ? NOOP : of(c.owner());
  }

  /**
   * Guards: one refusal with a fixed reason ({@code tandem_guard_refusals_total{reason}}), counted on
   * the node of the calling Vert.x thread.
   */
  public static void refusal(String reason) {
    current().refused(reason);
  }

  /** {@link #refusal(String)} on this node's registry (for callers off the Vert.x threads). */
  public void refused(String reason) {
    counter("tandem_guard_refusals", "Sockets, requests, documents or messages refused by a guard",
        "reason", reason == null ? "unknown" : reason).increment();
  }

  /** The underlying registry (for extra meters and tests). */
  public MeterRegistry registry() {
    return registry;
  }

  /** Prometheus text exposition (version 0.0.4). */
  public String scrape() {
    return prometheus == null ? "" : prometheus.scrape();
  }

  // --------------------------------------------------------------------------------- websockets

  /** A socket of {@code protocol} opened. */
  public void connectionOpened(String protocol) {
    gaugeFor(protocol).incrementAndGet();
    counter("tandem_connections_opened", "Websocket connections accepted", "protocol", protocol).increment();
  }

  /** A socket of {@code protocol} closed (either side). */
  public void connectionClosed(String protocol) {
    gaugeFor(protocol).decrementAndGet();
  }

  /** Live sockets of {@code protocol}. */
  public int connections(String protocol) {
    AtomicInteger a = connections.get(protocol);
    return a == null ? 0 : a.get();
  }

  private AtomicInteger gaugeFor(String protocol) {
    return connections.computeIfAbsent(protocol, p -> {
      AtomicInteger a = new AtomicInteger();
      Gauge.builder("tandem_connections", a, AtomicInteger::get).description("Open websocket connections")
          .tag("protocol", p).register(registry);
      return a;
    });
  }

  /** The server closed a socket with {@code code} (bad input, limits, drain, ...). */
  public void serverClose(String protocol, int code) {
    counter("tandem_socket_closes", "Sockets closed by the server, by close code", "protocol", protocol,
        "code", Integer.toString(code)).increment();
  }

  /**
   * The message and byte counters of one protocol, resolved once: a socket counts every frame,
   * tens of thousands a second under load, and looking the counters up by name each time was
   * measurable in the server's profile.
   */
  public Traffic traffic(String protocol) {
    Traffic t = traffic.get(protocol);
    return t != null ? t : traffic.computeIfAbsent(protocol, p -> new Traffic(
        counter("tandem_messages_received", "Websocket messages received", "protocol", p),
        counter("tandem_received_bytes", "Websocket message bytes received", "protocol", p),
        counter("tandem_messages_sent", "Websocket messages sent", "protocol", p),
        counter("tandem_sent_bytes", "Websocket message bytes sent", "protocol", p)));
  }

  /** Websocket traffic counters of one protocol (see {@link #traffic}). */
  public static final class Traffic {
    private final Counter messagesIn;
    private final Counter bytesIn;
    private final Counter messagesOut;
    private final Counter bytesOut;

    private Traffic(Counter messagesIn, Counter bytesIn, Counter messagesOut, Counter bytesOut) {
      this.messagesIn = messagesIn;
      this.bytesIn = bytesIn;
      this.messagesOut = messagesOut;
      this.bytesOut = bytesOut;
    }

    /** One message of {@code bytes} received. */
    public void in(long bytes) {
      messagesIn.increment();
      bytesIn.increment(bytes);
    }

    /** One message of {@code bytes} sent. */
    public void out(long bytes) {
      messagesOut.increment();
      bytesOut.increment(bytes);
    }
  }

  // --------------------------------------------------------------------------------- updates

  /** Applying one update took {@code nanos}. */
  public void updateApplied(long nanos) {
    applyTimer.record(nanos, TimeUnit.NANOSECONDS);
  }

  /** One Redis append attempt took {@code nanos}. */
  public void redisAppend(long nanos, boolean ok) {
    appendTimer.record(nanos, TimeUnit.NANOSECONDS);
    if (!ok) {
      counter("tandem_redis_append_failures", "Redis append attempts that failed (retried)").increment();
    }
  }

  /**
   * An update of {@code protocol} was acknowledged (Hocuspocus SyncStatus, REST 2xx; for y-websocket,
   * which has no acknowledgement, stored) {@code nanos} after it was received.
   */
  public void acknowledged(String protocol, long nanos) {
    timers.computeIfAbsent(protocol, p -> Timer.builder("tandem_ack")
        .description("Receipt of an update until its acknowledgement (stored in Redis)").tag("protocol", p)
        .publishPercentileHistogram().minimumExpectedValue(Duration.ofNanos(50_000))
        .maximumExpectedValue(Duration.ofSeconds(60)).register(registry)).record(nanos, TimeUnit.NANOSECONDS);
  }

  /** A compaction pass ended ({@code result}: compacted, trimmed, nothing, conflict, failed). */
  public void compaction(long nanos, String result) {
    compactionTimer.record(nanos, TimeUnit.NANOSECONDS);
    counter("tandem_compactions", "Compaction passes by result", "result", result).increment();
  }

  /** One event-loop lag sample. */
  public void eventLoopLag(long nanos) {
    eventLoopLag.record(nanos / 1e9);
  }

  // --------------------------------------------------------------------------------- gauges

  /** Registers a gauge read from {@code obj} when scraped (holds {@code obj} strongly). */
  public <T> void gauge(String name, String description, T obj, ToDoubleFunction<T> f) {
    Gauge.builder(name, obj, f).description(description).strongReference(true).register(registry);
  }

  /** Registers a monotonic counter read from {@code obj} when scraped. */
  public <T> void functionCounter(String name, String description, T obj, ToDoubleFunction<T> f) {
    FunctionCounter.builder(name, obj, f).description(description).register(registry);
  }

  /** Registers a gauge from a supplier. */
  public void gauge(String name, String description, Supplier<Number> f) {
    Gauge.builder(name, f).description(description).strongReference(true).register(registry);
  }

  private Counter counter(String name, String description, String... tags) {
    String key = name + String.join("\u0000", tags);
    Counter c = counters.get(key);
    if (c == null) {
      c = counters.computeIfAbsent(key, k -> Counter.builder(name).description(description).tags(tags).register(registry));
    }
    return c;
  }

  /** Closes the registry. */
  public void close() {
    for (AutoCloseable c : closeables) {
      try {
        c.close();
      } catch (Exception ignored) {
        // best effort
      }
    }
    registry.close();
  }
}
