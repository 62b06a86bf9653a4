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
  private volatile boolean draining;
  private boolean stopped;

  private TandemServer(ServerConfig config, EmbeddedRedis embedded, Vertx vertx, RedisGuard guard, List<HttpServer> http,
      int port, RedisDocumentStore store, SessionManager sessions, WebsocketEndpoints endpoints) {
    this.port = port;
    this.endpoints = endpoints;
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
      vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(loops));
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
      router.get("/health/live").handler(ctx -> json(ctx, 200, new JsonObject().put("status", "UP")));
      router.get("/health/ready").handler(ctx -> self[0].ready(ctx));
      WebsocketEndpoints endpoints = new WebsocketEndpoints(vertx, sessions, authenticator, config.wsPingInterval(),
          config.wsMaxMessageSize());
      endpoints.mount(router);
      ApiAuth.mount(router, authenticator);
      new AdminApi(endpoints).mount(router);
      long retryAfter = (config.breakerResetTimeout().toMillis() + 999) / 1000;
      new DocumentsApi(sessions, config.wsMaxMessageSize(), retryAfter).mount(router);
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
          sessions, endpoints);
      self[0] = server;
      LOG.info("Tandem node " + config.nodeId() + " listening on " + config.httpHost() + ":" + port
          + " (Redis " + (embedded != null ? "embedded, single node" : redactPassword(url))
          + ", key prefix '" + config.keyPrefix() + "'; " + loops + " event loops, Redis pool "
          + config.tuning().redisPoolSize() + ")");
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

  private void ready(RoutingContext ctx) {
    if (draining) {
      json(ctx, 503, new JsonObject().put("status", "DRAINING").put("reason", "node is stopping"));
      return;
    }
    if (!guard.available()) {
      json(ctx, 503, health("DEGRADED", "redis unavailable since " + guard.unavailableSince()
          + " (circuit breaker " + guard.state() + ", last failure: " + guard.lastFailure()
          + "); editing continues in memory, writes are buffered, acknowledgements wait").put("redis", "DOWN"));
      return;
    }
    // through the breaker: a failed PING counts towards opening it, and times out with redis.breaker.timeout
    redis.send(Request.cmd(Command.PING)).onComplete(ar -> {
      if (ar.succeeded()) {
        json(ctx, 200, health("UP", null).put("redis", "UP"));
      } else {
        json(ctx, 503, health("DEGRADED", "redis did not answer PING: " + ar.cause().getMessage())
            .put("redis", "DOWN"));
      }
    });
  }

  private JsonObject health(String status, String reason) {
    JsonObject o = new JsonObject().put("status", status);
    if (reason != null) {
      o.put("reason", reason);
    }
    WriteBuffer b = sessions.writeBuffer();
    return o.put("breaker", guard.state().name())
        .put("writeBuffer", new JsonObject().put("updates", b.updates()).put("bytes", b.bytes())
            .put("maxUpdates", b.maxUpdates()).put("maxBytes", b.maxBytes()).put("refused", b.refusedTotal()));
  }

  private static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status).putHeader("content-type", "application/json")
        .putHeader("cache-control", "no-store").end(body.encode());
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

  /** The embedded Redis, or null when {@code redis.url} is set. */
  public EmbeddedRedis embeddedRedis() {
    return embedded;
  }

  /**
   * Orderly stop, bounded by {@code drain.timeout}: report not-ready, stop accepting HTTP, close
   * Vert.x (and with it the Redis client), then stop the embedded Redis (which fsyncs its AOF).
   * Idempotent; blocking.
   */
  public synchronized void stop() {
    if (stopped) {
      return;
    }
    stopped = true;
    draining = true;
    long budget = Math.max(1000, config.drainTimeout().toMillis());
    LOG.info("Stopping (drain timeout " + config.drainTimeout() + ")");
    // sockets closed with 1001 (clients reconnect), queued Redis appends given time to finish
    sessions.guards().stop();
    sessions.stop(java.time.Duration.ofMillis(budget));
    guard.close();
    try {
      Future.join(http.stream().map(HttpServer::close).toList()).await(budget, TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      LOG.log(Level.WARNING, "HTTP server did not close cleanly", e);
    }
    try {
      vertx.close().await(budget, TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      LOG.log(Level.WARNING, "Vert.x did not close cleanly", e);
    }
    if (embedded != null) {
      embedded.stop();
    }
    LOG.info("Stopped");
  }
}
