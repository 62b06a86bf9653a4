package dev.tandem.server.health;

import dev.tandem.server.metrics.EventLoopLag;
import dev.tandem.server.metrics.Metrics;
import dev.tandem.server.rest.ApiAuth;
import dev.tandem.server.rest.Http;
import dev.tandem.server.session.SessionManager;
import dev.tandem.server.session.WriteBuffer;
import dev.tandem.server.store.RedisGuard;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * {@code GET /health/live}, {@code GET /health/ready}, {@code GET /api/system/health} and
 * {@code GET /metrics}.
 *
 * <ul>
 *   <li>live: 200 {@code {"status": "UP"}} while the process serves HTTP.
 *   <li>ready: 200 {@code UP} only when the node is not draining, the Redis circuit breaker is
 *       closed and Redis answers {@code PING} through it, and no guarded resource ({@link Capacity})
 *       is at its limit; else 503 with {@code status} {@code DRAINING}, {@code DEGRADED} or
 *       {@code AT_CAPACITY} and a {@code reason}. Both carry breaker state and write-buffer use.
 *   <li>system health: the detailed JSON (Redis reachability and PING latency, breaker, write
 *       buffer, capacity per guard, documents, connections, event-loop lag, node id, version,
 *       uptime). Under {@code /api/}, so it needs a bearer token when auth is on, and the token
 *       needs the admin claim (403 otherwise).
 *   <li>metrics: Prometheus text ({@code docs/operations.md} lists the names). Not behind auth
 *       (scrapers rarely carry tokens); it holds no document names or contents.
 * </ul>
 */
public final class HealthEndpoints {
  private final String nodeId;
  private final RedisGuard guard;
  private final SessionManager sessions;
  private final Metrics metrics;
  private final Capacity capacity;
  private final EventLoopLag lag;
  private final BooleanSupplier draining;
  private final Instant started = Instant.now();

  public HealthEndpoints(String nodeId, RedisGuard guard, SessionManager sessions, Metrics metrics, Capacity capacity,
      EventLoopLag lag, BooleanSupplier draining) {
    this.nodeId = nodeId;
    this.guard = guard;
    this.sessions = sessions;
    this.metrics = metrics;
    this.capacity = capacity;
    this.lag = lag;
    this.draining = draining;
  }

  /** The server's version (jar manifest), {@code dev} when run from classes. */
  public static String version() {
    String v = HealthEndpoints.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }

  public void mount(Router router) {
    router.get("/health/live").handler(ctx -> Http.json(ctx, 200, new JsonObject().put("status", "UP")));
    router.get("/health/ready").handler(this::ready);
    router.get("/api/system/health").handler(this::system);
    router.get("/metrics").handler(ctx -> ctx.response().setStatusCode(200)
        .putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8")
        .putHeader("cache-control", "no-store").end(metrics.scrape()));
  }

  private void ready(RoutingContext ctx) {
    if (draining.getAsBoolean()) {
      Http.json(ctx, 503, health("DRAINING", "node is stopping"));
      return;
    }
    if (!guard.available()) {
      Http.json(ctx, 503, health("DEGRADED", "redis unavailable since " + guard.unavailableSince()
          + " (circuit breaker " + guard.state() + ", last failure: " + guard.lastFailure()
          + "); editing continues in memory, writes are buffered, acknowledgements wait").put("redis", "DOWN"));
      return;
    }
    List<Capacity.Use> full = capacity.exhausted();
    if (!full.isEmpty()) {
      StringBuilder why = new StringBuilder("at capacity:");
      for (Capacity.Use u : full) {
        why.append(' ').append(u.guard()).append(' ').append(u.used()).append('/').append(u.limit());
      }
      Http.json(ctx, 503, health("AT_CAPACITY", why.toString()).put("redis", "UP"));
      return;
    }
    // through the breaker: a failed PING counts towards opening it, and times out with redis.breaker.timeout
    guard.redis().send(Request.cmd(Command.PING)).onComplete(ar -> {
      if (ar.succeeded()) {
        Http.json(ctx, 200, health("UP", null).put("redis", "UP"));
      } else {
        Http.json(ctx, 503, health("DEGRADED", "redis did not answer PING: " + ar.cause().getMessage())
            .put("redis", "DOWN"));
      }
    });
  }

  private JsonObject health(String status, String reason) {
    JsonObject o = new JsonObject().put("status", status);
    if (reason != null) {
      o.put("reason", reason);
    }
    return o.put("breaker", guard.state().name()).put("writeBuffer", writeBuffer());
  }

  private JsonObject writeBuffer() {
    WriteBuffer b = sessions.writeBuffer();
    return new JsonObject().put("updates", b.updates()).put("bytes", b.bytes())
        .put("maxUpdates", b.maxUpdates()).put("maxBytes", b.maxBytes()).put("refused", b.refusedTotal());
  }

  private void system(RoutingContext ctx) {
    if (!ApiAuth.principal(ctx).admin()) {
      Http.error(ctx, 403, "forbidden", "this endpoint needs a token with the admin claim");
      return;
    }
    long t0 = System.nanoTime();
    boolean breakerClosed = guard.available();
    (breakerClosed ? guard.redis().send(Request.cmd(Command.PING)).<Boolean>map(r -> true)
        : io.vertx.core.Future.succeededFuture(false)).otherwise(false).onComplete(ar -> {
          boolean reachable = ar.result();
          double latencyMs = (System.nanoTime() - t0) / 1e6;
          JsonObject redis = new JsonObject().put("reachable", reachable)
              .put("latencyMs", reachable ? Math.round(latencyMs * 1000) / 1000.0 : null)
              .put("breaker", guard.state().name())
              .put("unavailableSince", guard.unavailableSince() == null ? null : guard.unavailableSince().toString())
              .put("lastFailure", guard.lastFailure());
          JsonArray cap = new JsonArray();
          boolean atCapacity = false;
          for (Capacity.Use u : capacity.snapshot()) {
            atCapacity |= u.exhausted();
            cap.add(new JsonObject().put("guard", u.guard()).put("used", u.used())
                .put("limit", u.limit() > 0 ? u.limit() : null)
                .put("ratio", u.limit() > 0 ? Math.round(u.ratio() * 1000) / 1000.0 : null));
          }
          String status = draining.getAsBoolean() ? "DRAINING" : !reachable ? "DEGRADED" : atCapacity ? "AT_CAPACITY" : "UP";
          int yws = metrics.connections(Metrics.Y_WEBSOCKET);
          int hp = metrics.connections(Metrics.HOCUSPOCUS);
          Duration up = Duration.between(started, Instant.now());
          Http.json(ctx, 200, new JsonObject()
              .put("status", status)
              .put("node", nodeId)
              .put("version", version())
              .put("startedAt", started.toString())
              .put("uptimeSeconds", up.toSeconds())
              .put("draining", draining.getAsBoolean())
              .put("redis", redis)
              .put("writeBuffer", writeBuffer())
              .put("documents", sessions.openSessions())
              .put("connections", new JsonObject().put("total", yws + hp).put(Metrics.Y_WEBSOCKET, yws)
                  .put(Metrics.HOCUSPOCUS, hp))
              .put("capacity", cap)
              // any guarded resource past guards.capacity-warning (75% by default) of its limit
              .put("capacityWarning", sessions.guards().capacityWarning())
              .put("eventLoopLagMs", Math.round(lag.maxLagNanos() / 1e3) / 1000.0));
        });
  }
}
