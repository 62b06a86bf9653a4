package dev.tandem.server;

import dev.tandem.server.config.ServerConfig;
import dev.tandem.server.redis.EmbeddedRedis;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import dev.tandem.crdt.update.Updates;
import dev.tandem.server.auth.Authenticator;
import dev.tandem.server.auth.JwtAuthenticator;
import dev.tandem.server.config.AuthMode;
import dev.tandem.server.config.AuthSettings;
import dev.tandem.server.guard.Guards;
import dev.tandem.server.drain.Drainer;
import dev.tandem.server.health.Capacity;
import dev.tandem.server.health.HealthEndpoints;
import dev.tandem.server.metrics.EventLoopLag;
import dev.tandem.server.metrics.Metrics;
import dev.tandem.server.rest.Http;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import dev.tandem.server.rest.AdminApi;
import dev.tandem.server.rest.ApiAuth;
import dev.tandem.server.rest.DocumentsApi;
import dev.tandem.server.session.SessionManager;
import dev.tandem.server.session.WriteBuffer;
import dev.tandem.server.store.RedisDocumentStore;
import dev.tandem.server.store.RedisGuard;
import dev.tandem.server.store.StoreOptions;
import dev.tandem.server.ws.WebsocketEndpoints;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One running node: (embedded) Redis, the Redis client behind the circuit breaker
 * ({@link RedisGuard}), the write buffer, Vert.x and the HTTP server with the health endpoints.
 * {@link #start} and {@link #stop} block and are meant for the main thread / shutdown hook, never an
 * event loop.
 *
 * <p>Readiness ({@code GET /health/ready}): 200 only when not stopping, the breaker is closed and
 * Redis answers {@code PING} (through the breaker, within {@code redis.breaker.timeout}); otherwise
 * 503 with a JSON {@code status} ({@code DRAINING}, {@code DEGRADED}) and a {@code reason}.
 */
public final class TandemServer {
  private static final Logger LOG = Logger.getLogger(TandemServer.class.getName());

  private final ServerConfig config;
  private final EmbeddedRedis embedded;
  private final Vertx vertx;
  private final Redis redis;
  private final RedisGuard guard;
  private final List<HttpServer> http;
  private final int port;
  private final RedisDocumentStore store;
  private final SessionManager sessions;
  private final WebsocketEndpoints endpoints;
  private final Metrics metrics;
  private final Capacity capacity;
  private final EventLoopLag lag;
  private volatile boolean draining;
  private boolean stopped;
  private boolean stopResult;

  private TandemServer(ServerConfig config, EmbeddedRedis embedded, Vertx vertx, RedisGuard guard, List<HttpServer> http,
      int port, RedisDocumentStore store, SessionManager sessions, WebsocketEndpoints endpoints, Metrics metrics,
      Capacity capacity, EventLoopLag lag) {
    this.port = port;
    this.endpoints = endpoints;
    this.metrics = metrics;
    this.capacity = capacity;
    this.lag = lag;
    this.config = config;
    this.embedded = embedded;
    this.vertx = vertx;
    this.guard = guard;
    this.redis = guard.redis();
    this.http = http;
    this.store = store;
    this.sessions = sessions;
  }

  /** Starts everything; on failure stops what was started and rethrows. Blocking. */
  public static TandemServer start(ServerConfig config) throws Exception {
    EmbeddedRedis embedded = null;
    Vertx vertx = null;
    try {
      // keys first: a bad key file stops the start (ConfigException) before anything else runs
      int loops = config.tuning().effectiveEventLoops();
      // one Prometheus registry per node: Vert.x's own meters (HTTP, pools) and the server's (Metrics)
      Metrics metrics = Metrics.create();
      vertx = Vertx.builder()
          .with(new VertxOptions().setEventLoopPoolSize(loops)
              .setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true)))
          .withMetrics(new MicrometerMetricsFactory(metrics.registry()))
          .build();
      metrics.bind(vertx);
      Authenticator authenticator = authenticator(vertx, config.auth());
      String url = config.redisUrl();
      if (config.embeddedRedis()) {
        embedded = EmbeddedRedis.start(new EmbeddedRedis.Options(config.dataDir())
            .withFsync(config.embeddedRedisFsync()).withShutdownHook(false));
        url = embedded.connectionString();
      } else {
        LOG.info("Using Redis at " + redactPassword(url));
      }
      // Pool: each pooled connection carries one command at a time (redis.pool.size); commands beyond
      // wait (redis.pool.waiting). Appends are batched per document, loads queue in the SessionManager.
      Redis rawRedis = Redis.createClient(vertx, new RedisOptions().setConnectionString(url)
          .setMaxPoolSize(config.tuning().redisPoolSize())
          .setMaxPoolWaiting(config.tuning().redisPoolWaiting()));
      // Every Redis command (store, health) goes through one circuit breaker: degraded mode when it opens.
      RedisGuard guard = new RedisGuard(vertx, rawRedis, new RedisGuard.Options(config.breakerMaxFailures(),
          config.breakerTimeout(), config.breakerResetTimeout()));
      Redis redis = guard.redis();
      WriteBuffer writeBuffer = new WriteBuffer(config.writeBufferMaxUpdates(), config.writeBufferMaxBytes());
      // Compaction merges with the crdt module's mergeUpdates (byte-identical to Yjs), on a worker thread.
      RedisDocumentStore store = new RedisDocumentStore(vertx, redis, StoreOptions.from(config), Updates::mergeUpdates);
      SessionManager sessions = new SessionManager(vertx, store, guard, writeBuffer, config.nodeId(),
          config.sessionEvictionGrace(),
          config.sessionOffloadBytes(), SessionManager.docStates(), SessionManager.eventLoopContexts(vertx),
          Math.max(1, config.tuning().redisPoolSize() / 2));
      // session guards and rate limits (docs/architecture.md "Session guards"); started with the HTTP server
      Guards guards = new Guards(config.guards());
      sessions.guards(guards);
      guards.start(vertx);
      TandemServer[] self = new TandemServer[1];
      Router router = Router.router(vertx);
      // draining: new sockets and REST requests are refused at once (health and metrics stay)
      router.route().handler(ctx -> {
        TandemServer me = self[0];
        String p = ctx.request().path();
        if (me != null && me.draining && (p.startsWith("/ws/") || p.equals("/hocuspocus") || p.startsWith("/api/documents"))) {
          ctx.response().putHeader("Retry-After", "1");
          Http.error(ctx, 503, "draining", "this node is shutting down; reconnect (to another node)");
          return;
        }
        ctx.next();
      });
      Capacity capacity = new Capacity();
      EventLoopLag lag = new EventLoopLag(vertx, metrics).start();
      registerGauges(metrics, sessions, guard, capacity, () -> self[0] != null && self[0].draining);
      WebsocketEndpoints endpoints = new WebsocketEndpoints(vertx, sessions, authenticator, config.wsPingInterval(),
          config.wsMaxMessageSize());
      endpoints.mount(router);
      ApiAuth.mount(router, authenticator);
      new AdminApi(endpoints).mount(router);
      long retryAfter = (config.breakerResetTimeout().toMillis() + 999) / 1000;
      new DocumentsApi(sessions, config.wsMaxMessageSize(), retryAfter).mount(router);
      new HealthEndpoints(config.nodeId(), guard, sessions, metrics, capacity, lag,
          () -> self[0] != null && self[0].draining).mount(router);
      capacity.register("connections", guards::connections, () -> config.guards().maxConnections());
      capacity.register("documents", sessions::openSessions, () -> config.guards().maxDocuments());
      // heap in per mille of the max heap (used after the last GC), lag in milliseconds
      capacity.register("heap", () -> Math.round(guards.heapUsed() * 1000),
          () -> Math.round(config.guards().maxHeapUsed() * 1000));
      capacity.register("event-loop-lag", () -> guards.eventLoopLag().toMillis(),
          () -> config.guards().maxEventLoopLag().toMillis());
      capacity.register("write-buffer.updates", writeBuffer::updates, writeBuffer::maxUpdates);
      capacity.register("write-buffer.bytes", writeBuffer::bytes, writeBuffer::maxBytes);
      Http.mountJsonErrors(router);
      // Vert.x drops a connection without a close frame (1006) beyond its own limits, so those are a
      // backstop at twice ws.max-message-size; the sockets close with 1009 above ws.max-message-size.
      int hardLimit = (int) Math.min(Integer.MAX_VALUE - 1024, 2 * config.wsMaxMessageSize());
      HttpServerOptions httpOptions = new HttpServerOptions()
          .setMaxWebSocketMessageSize(hardLimit)
          .setMaxWebSocketFrameSize(hardLimit);
      // One HTTP server verticle instance per event loop: Vert.x spreads accepted connections over the
      // instances, so sockets (and their frame decoding and writes) use every loop.
      List<HttpServer> servers = new CopyOnWriteArrayList<>();
      // http.port 0: a negative port asks Vert.x for one random port shared by all instances
      int listenPort = config.httpPort() == 0 ? -1 : config.httpPort();
      deployHttp(vertx, httpOptions, router, config.httpHost(), listenPort, loops, servers);
      int port = servers.get(0).actualPort();
      for (HttpServer s : servers) {
        if (s.actualPort() != port) {
          throw new IllegalStateException("HTTP server instances listen on different ports: " + port + ", " + s.actualPort());
        }
      }
      TandemServer server = new TandemServer(config, embedded, vertx, guard, List.copyOf(servers), port, store,
          sessions, endpoints, metrics, capacity, lag);
      self[0] = server;
      Logging.event(LOG, Level.INFO, "server.started", "node", config.nodeId(), "version", HealthEndpoints.version(),
          "address", config.httpHost() + ":" + port,
          "redis", embedded != null ? "embedded, single node" : redactPassword(url), "keyPrefix", config.keyPrefix(),
          "eventLoops", loops, "redisPool", config.tuning().redisPoolSize());
      return server;
    } catch (Exception | Error e) {
      if (vertx != null) {
        try {
          vertx.close().await(10, TimeUnit.SECONDS);
        } catch (Exception ignored) {
          // best effort
        }
      }
      if (embedded != null) {
        embedded.stop();
      }
      throw e;
    }
  }

  /** Deploys {@code instances} HTTP server verticles on {@code port}; blocking (startup thread). */
  private static void deployHttp(Vertx vertx, HttpServerOptions options, Router router, String host, int port,
      int instances, List<HttpServer> servers) throws Exception {
    vertx.deployVerticle(() -> new VerticleBase() {
      @Override
      public Future<?> start() {
        return vertx.createHttpServer(options).requestHandler(router).listen(port, host).onSuccess(servers::add);
      }
    }, new DeploymentOptions().setInstances(instances)).await(30, TimeUnit.SECONDS);
  }

  private static Authenticator authenticator(Vertx vertx, AuthSettings auth) {
    if (auth.mode() == AuthMode.NONE) {
      LOG.warning("Authentication is OFF (auth.mode=none" + (auth.modeExplicit() ? "" : ", the default with the embedded Redis")
          + "): every client may read and write every document and use the admin endpoints. For local development only;"
          + " set auth.mode=jwt with a key for anything else");
      return Authenticator.allowAll();
    }
    JwtAuthenticator a = JwtAuthenticator.create(vertx, auth);
    LOG.info("JWT authentication on (" + (auth.secret().isEmpty() ? "" : "HS256 secret; ")
        + (auth.publicKeysFile().isEmpty() ? "" : "public keys " + auth.publicKeysFile() + "; ")
        + (auth.jwksFile().isEmpty() ? "" : "JWKS " + auth.jwksFile() + "; ") + "leeway " + auth.leeway() + ")");
    return a;
  }

  /** Server-wide gauges read at scrape time. */
  private static void registerGauges(Metrics m, SessionManager sessions, RedisGuard guard, Capacity capacity,
      java.util.function.BooleanSupplier draining) {
    m.gauge("tandem_documents_loaded", "Documents with an open session on this node", sessions,
        SessionManager::openSessions);
    m.gauge("tandem_redis_breaker_state", "Redis circuit breaker: 0 closed, 1 half-open, 2 open", guard,
        g -> switch (g.state()) {
          case CLOSED -> 0;
          case HALF_OPEN -> 1;
          case OPEN -> 2;
        });
    WriteBuffer b = sessions.writeBuffer();
    m.gauge("tandem_write_buffer_updates", "Updates applied but not yet stored in Redis", b, WriteBuffer::updates);
    m.gauge("tandem_write_buffer_bytes", "Bytes of updates applied but not yet stored in Redis", b, WriteBuffer::bytes);
    m.gauge("tandem_write_buffer_max_updates", "write-buffer.max-updates", b, WriteBuffer::maxUpdates);
    m.gauge("tandem_write_buffer_max_bytes", "write-buffer.max-bytes", b, WriteBuffer::maxBytes);
    m.functionCounter("tandem_write_buffer_refused", "Updates refused because the write buffer was full", b,
        WriteBuffer::refusedTotal);
    m.gauge("tandem_draining", "1 while the node drains (SIGTERM)", () -> draining.getAsBoolean() ? 1 : 0);
    m.gauge("tandem_capacity_warning", "1 while any guarded resource is past guards.capacity-warning of its limit",
        () -> sessions.guards().capacityWarning() ? 1 : 0);
    capacity.onRegister(guardName -> m.registry().gauge("tandem_capacity_used_ratio",
        java.util.List.of(io.micrometer.core.instrument.Tag.of("guard", guardName)), capacity, c -> {
          Capacity.Use u = c.get(guardName);
          return u == null || u.limit() <= 0 ? Double.NaN : u.ratio();
        }));
  }

  static String redactPassword(String url) {
    return url.replaceAll("//([^@/]*)@", "//***@");
  }

  public int httpPort() {
    return port;
  }

  public Vertx vertx() {
    return vertx;
  }

  /** The Redis client (every command through the circuit breaker). */
  public Redis redis() {
    return redis;
  }

  /** The Redis circuit breaker. */
  public RedisGuard redisGuard() {
    return guard;
  }

  public RedisDocumentStore store() {
    return store;
  }

  /** The websocket endpoints (live sockets, admin disconnect). */
  public WebsocketEndpoints endpoints() {
    return endpoints;
  }

  public SessionManager sessions() {
    return sessions;
  }

  /** The session guards: limits, refusals, the capacity monitor ({@link Guards#capacityWarning()}, {@link Guards#usage()}). */
  public Guards guards() {
    return sessions.guards();
  }

  public ServerConfig config() {
    return config;
  }

  /** The node's metrics ({@code GET /metrics}). */
  public Metrics metrics() {
    return metrics;
  }

  /** Guarded resources against their limits (readiness, system health); guards register theirs here. */
  public Capacity capacity() {
    return capacity;
  }

  /** Reports not-ready and refuses new sockets from now on; {@link #stop} does the rest. */
  public void markDraining() {
    draining = true;
  }

  /** Whether the node is draining or stopped. */
  public boolean draining() {
    return draining;
  }

  /** The embedded Redis, or null when {@code redis.url} is set. */
  public EmbeddedRedis embeddedRedis() {
    return embedded;
  }

  /**
   * Graceful drain and stop, bounded by {@code drain.timeout} (see {@link Drainer}): report
   * not-ready and refuse new sockets and REST requests at once (503 + {@code Retry-After}), close
   * every socket with 1012 staggered over {@code drain.stagger}, wait until every buffered write is
   * stored in Redis, then stop sessions, HTTP, Vert.x (and with it the Redis client) and the embedded
   * Redis (which fsyncs its AOF). Idempotent; blocking. Returns true when every applied update was
   * stored (false: the timeout abandoned buffered, never acknowledged writes).
   */
  public synchronized boolean stop() {
    if (stopped) {
      return stopResult;
    }
    stopped = true;
    draining = true;
    long start = System.nanoTime();
    long budget = Math.max(1000, config.drainTimeout().toMillis());
    long deadline = start + TimeUnit.MILLISECONDS.toNanos(budget);
    // reserve for stopping Vert.x and the embedded Redis after the drain proper
    long reserve = TimeUnit.MILLISECONDS.toNanos(Math.min(3000, budget / 4));
    Logging.event(LOG, Level.INFO, "server.stopping", "drainTimeout", config.drainTimeout(),
        "drainStagger", config.drainStagger());
    Drainer.Result r = new Drainer(vertx, endpoints, sessions.writeBuffer(), config.drainStagger())
        .drain(deadline - reserve);
    stopResult = r.complete();
    long left = Math.max(100, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
    // remaining sockets (none normally) closed with 1001; appends still queued get what is left
    sessions.guards().stop();
    sessions.stop(java.time.Duration.ofMillis(Math.max(100, left - TimeUnit.NANOSECONDS.toMillis(reserve) / 2)));
    lag.stop();
    guard.close();
    try {
      Future.join(http.stream().map(HttpServer::close).toList())
          .await(Math.max(100, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      LOG.log(Level.WARNING, "HTTP server did not close cleanly", e);
    }
    try {
      vertx.close().await(Math.max(100, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      LOG.log(Level.WARNING, "Vert.x did not close cleanly", e);
    }
    metrics.unbind(vertx);
    metrics.close();
    if (embedded != null) {
      embedded.stop();
    }
    Logging.event(LOG, Level.INFO, "server.stopped", "flushed", stopResult, "socketsClosed", r.sockets(),
        "unflushedUpdates", r.unflushedUpdates(), "elapsedMs", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
    return stopResult;
  }
}
