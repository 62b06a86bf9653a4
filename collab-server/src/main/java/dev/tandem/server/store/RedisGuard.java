package dev.tandem.server.store;

import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.circuitbreaker.FailurePolicy;
import io.vertx.circuitbreaker.OpenCircuitException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * The circuit breaker ({@code vertx-circuit-breaker}) around every Redis command of a node.
 * {@link #redis()} is a {@link Redis} whose {@code send} / {@code batch} run through the breaker, so
 * the store, the health check and everything else share one view of Redis' health.
 *
 * <ul>
 *   <li><b>Closed</b>: commands go to Redis. A command that fails with a connection error, times out
 *       ({@code redis.breaker.timeout}) or gets an "I cannot serve now" reply ({@code LOADING},
 *       {@code BUSY}, {@code READONLY}, {@code MASTERDOWN}, {@code CLUSTERDOWN}, {@code TRYAGAIN})
 *       counts as a failure; any success resets the count. Other error replies ({@code NOSCRIPT},
 *       {@code WRONGTYPE}, ...) prove Redis is up and do not count, nor does the client's own pool
 *       being full ({@code ConnectionPoolTooBusyException}: the caller retries).
 *   <li><b>Open</b> after {@code redis.breaker.max-failures} failures: every command fails at once
 *       with {@link OpenCircuitException} (no waiting on a dead Redis). This is degraded mode.
 *   <li><b>Half-open</b> after {@code redis.breaker.reset-timeout}: the guard sends one probe
 *       ({@code PING}); success closes the breaker, failure opens it again for another period.
 * </ul>
 *
 * Callers that must eventually succeed (appends) wait with {@link #whenAvailable(Context)} instead
 * of polling. Thread-safe.
 */
public final class RedisGuard {
  private static final Logger LOG = Logger.getLogger(RedisGuard.class.getName());
  /** Error replies that mean "Redis cannot serve right now" (they count as failures). */
  private static final List<String> UNAVAILABLE_REPLIES =
      List.of("LOADING", "BUSY", "READONLY", "MASTERDOWN", "CLUSTERDOWN", "TRYAGAIN");

  /** Breaker settings. */
  public record Options(int maxFailures, Duration timeout, Duration resetTimeout) {
    public Options {
      if (maxFailures < 1) {
        throw new IllegalArgumentException("maxFailures must be >= 1");
      }
      Objects.requireNonNull(timeout);
      Objects.requireNonNull(resetTimeout);
    }
  }

  private final Vertx vertx;
  private final Redis raw;
  private final CircuitBreaker breaker;
  private final Redis guarded;
  private final Object lock = new Object();
  /** Mirror of the breaker state, updated in its handlers (read without touching the breaker's monitor). */
  private CircuitBreakerState state = CircuitBreakerState.CLOSED;
  private Instant unavailableSince;
  private volatile String lastFailure = "";
  private final List<Waiter> waiters = new ArrayList<>();
  private volatile boolean closed;

  private record Waiter(Context context, Promise<Void> promise) {}

  public RedisGuard(Vertx vertx, Redis raw, Options options) {
    this.vertx = Objects.requireNonNull(vertx);
    this.raw = Objects.requireNonNull(raw);
    long timeout = Math.max(1, options.timeout().toMillis());
    CircuitBreakerOptions o = new CircuitBreakerOptions()
        .setMaxFailures(options.maxFailures())
        .setTimeout(timeout)
        .setResetTimeout(Math.max(1, options.resetTimeout().toMillis()))
        .setFailuresRollingWindow(Math.max(10_000, timeout * options.maxFailures()))
        .setFallbackOnFailure(false)
        .setMaxRetries(0)
        .setNotificationAddress(null); // no periodic event-bus publishing
    this.breaker = CircuitBreaker.create("redis", vertx, o);
    breaker.failurePolicy((FailurePolicy<Object>) RedisGuard::countsAsFailure);
    breaker.openHandler(v -> transition(CircuitBreakerState.OPEN));
    breaker.halfOpenHandler(v -> transition(CircuitBreakerState.HALF_OPEN));
    breaker.closeHandler(v -> transition(CircuitBreakerState.CLOSED));
    this.guarded = new GuardedRedis();
  }

  /** The Redis client every component uses: each command runs through the breaker. */
  public Redis redis() {
    return guarded;
  }

  /** CLOSED (healthy), OPEN (degraded: commands fail at once) or HALF_OPEN (one probe in flight). */
  public CircuitBreakerState state() {
    synchronized (lock) {
      return state;
    }
  }

  /** True while the breaker is closed. */
  public boolean available() {
    return state() == CircuitBreakerState.CLOSED;
  }

  /** When the breaker last left the closed state, or null while it is closed. */
  public Instant unavailableSince() {
    synchronized (lock) {
      return unavailableSince;
    }
  }

  /** The last failure the breaker counted (for health output; never document contents). */
  public String lastFailure() {
    return lastFailure;
  }

  /**
   * Completes on {@code context} once the breaker is closed (at once if it is). Fails when the
   * guard is closed (node stopping).
   */
  public Future<Void> whenAvailable(Context context) {
    Promise<Void> p = Promise.promise();
    boolean now;
    synchronized (lock) {
      now = state == CircuitBreakerState.CLOSED || closed;
      if (!now) {
        waiters.add(new Waiter(context, p));
      }
    }
    if (now) {
      if (closed) {
        return Future.failedFuture(new IllegalStateException("node is stopping"));
      }
      return Future.succeededFuture();
    }
    return p.future();
  }

  /** Node stopping: waiters fail so retry loops end. */
  public void close() {
    List<Waiter> w;
    synchronized (lock) {
      closed = true;
      w = new ArrayList<>(waiters);
      waiters.clear();
    }
    for (Waiter x : w) {
      x.context().runOnContext(v -> x.promise().tryFail(new IllegalStateException("node is stopping")));
    }
    breaker.close();
  }

  // Called by the breaker (inside its monitor, on any thread): only bookkeeping here, the rest later.
  private void transition(CircuitBreakerState to) {
    List<Waiter> ready = List.of();
    CircuitBreakerState from;
    synchronized (lock) {
      from = state;
      state = to;
      if (to == CircuitBreakerState.CLOSED) {
        unavailableSince = null;
        ready = new ArrayList<>(waiters);
        waiters.clear();
      } else if (unavailableSince == null) {
        unavailableSince = Instant.now();
      }
    }
    switch (to) {
      case OPEN -> {
        if (from == CircuitBreakerState.CLOSED) {
          LOG.warning("Redis unavailable (" + lastFailure + "): circuit breaker open, degraded mode: editing continues"
              + " in memory, writes are buffered and acknowledgements wait");
        }
      }
      case HALF_OPEN -> vertx.runOnContext(v -> probe());
      case CLOSED -> LOG.info("Redis available again: circuit breaker closed, buffered writes drain");
    }
    for (Waiter w : ready) {
      w.context().runOnContext(v -> w.promise().tryComplete());
    }
  }

  private void probe() {
    if (closed) {
      return;
    }
    guarded.send(Request.cmd(Command.PING)).onComplete(ar -> {
      if (ar.failed() && !(ar.cause() instanceof OpenCircuitException)) {
        LOG.fine(() -> "Redis probe failed: " + ar.cause());
      }
    });
  }

  static boolean countsAsFailure(Future<?> f) {
    if (f.succeeded()) {
      return false;
    }
    Throwable t = f.cause();
    if (t instanceof ConnectionPoolTooBusyException) {
      // this node's client has all pooled connections busy and its waiting line full
      // (redis.pool.size / redis.pool.waiting): Redis is fine, the caller retries
      return false;
    }
    if (t instanceof Response) { // an error reply: Redis answered
      String m = String.valueOf(t.getMessage());
      for (String code : UNAVAILABLE_REPLIES) {
        if (m.startsWith(code)) {
          return true;
        }
      }
      return false;
    }
    return true;
  }

  private <T> Future<T> guard(Supplier<Future<T>> op) {
    Future<T> f = breaker.execute(op);
    return f.onFailure(e -> {
      if (!(e instanceof OpenCircuitException) && countsAsFailure(f)) {
        lastFailure = e.getClass().getSimpleName() + ": " + e.getMessage();
      }
    });
  }

  /** {@link Redis} through the breaker. */
  private final class GuardedRedis implements Redis {
    @Override
    public Future<RedisConnection> connect() {
      return guard(raw::connect);
    }

    @Override
    public Future<Void> close() {
      return raw.close();
    }

    @Override
    public Future<Response> send(Request request) {
      return guard(() -> raw.send(request));
    }

    @Override
    public Future<List<Response>> batch(List<Request> requests) {
      return guard(() -> raw.batch(requests));
    }
  }

  /** For logs: the state and how long it has lasted. */
  @Override
  public String toString() {
    synchronized (lock) {
      return "RedisGuard[" + state + (unavailableSince == null ? "" : " since " + unavailableSince) + "]";
    }
  }
}
