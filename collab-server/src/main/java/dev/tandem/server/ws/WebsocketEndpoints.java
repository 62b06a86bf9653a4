package dev.tandem.server.ws;

import dev.tandem.server.auth.Access;
import dev.tandem.server.auth.Authenticator;
import dev.tandem.server.auth.Principal;
import dev.tandem.server.guard.Guards;
import dev.tandem.server.session.DocumentSession;
import dev.tandem.server.rest.Http;
import dev.tandem.server.session.CloseCodes;
import dev.tandem.server.session.SessionManager;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Mounts {@code GET /ws/{document}} (y-websocket) and {@code GET /hocuspocus} (Hocuspocus). Bad
 * document names and non-upgrade requests get an HTTP 400 JSON error before any upgrade; on
 * {@code /ws/...} a missing or invalid token gets 401 and a token that does not open the document
 * 403, also before the upgrade (Hocuspocus authenticates per document in its Auth message).
 * Then the guards ({@link Guards}, the session manager's): a socket beyond
 * {@code guards.max-connections}, under heap pressure or event-loop lag, and (y-websocket) a new
 * document beyond {@code guards.max-documents} or a document at
 * {@code guards.max-connections-per-document} get HTTP 503 with {@code Retry-After} and a JSON
 * reason instead of the upgrade. Every socket gets its {@link dev.tandem.server.guard.ConnectionGuard}.
 * Keeps the node's live sockets for the admin disconnect.
 */
public final class WebsocketEndpoints {
  private static final Logger LOG = Logger.getLogger(WebsocketEndpoints.class.getName());
  static final AtomicLong IDS = new AtomicLong();

  private final Vertx vertx;
  private final SessionManager sessions;
  private final Authenticator authenticator;
  private final Duration pingInterval;
  private final long maxMessage;
  private final Set<SocketBase> live = ConcurrentHashMap.newKeySet();

  public WebsocketEndpoints(Vertx vertx, SessionManager sessions, Authenticator authenticator, Duration pingInterval,
      long maxMessage) {
    this.maxMessage = maxMessage;
    this.vertx = vertx;
    this.sessions = sessions;
    this.authenticator = authenticator;
    this.pingInterval = pingInterval;
  }

  public void mount(Router router) {
    router.get("/ws/*").handler(this::yWebsocket);
    router.get("/hocuspocus").handler(this::hocuspocus);
  }

  private static boolean isUpgrade(RoutingContext ctx) {
    String upgrade = ctx.request().getHeader(HttpHeaders.UPGRADE);
    return upgrade != null && upgrade.equalsIgnoreCase("websocket");
  }

  /** {@code ?token=} (what browsers can send on a websocket), else an {@code Authorization: Bearer} header. */
  private static String token(RoutingContext ctx) {
    String t = ctx.request().getParam("token");
    if (t != null && !t.isEmpty()) {
      return t;
    }
    return Http.bearerToken(ctx);
  }

  private void yWebsocket(RoutingContext ctx) {
    String raw = ctx.request().path().substring("/ws/".length());
    String name = Http.documentName(ctx, raw);
    if (name == null) {
      return;
    }
    if (!isUpgrade(ctx)) {
      Http.error(ctx, 400, "websocket_required", "this endpoint speaks the y-websocket protocol over a websocket");
      return;
    }
    authenticator.authenticate(token(ctx)).onComplete(ar -> {
      if (ar.failed()) {
        Http.unauthenticated(ctx, ar.cause());
        return;
      }
      Principal principal = ar.result();
      Access access = principal.access(name);
      if (access == null) {
        Http.error(ctx, 403, "forbidden", "the token does not grant document " + name);
        return;
      }
      Guards guards = sessions.guards();
      Guards.Refusal refusal = guards.tryAcquireConnection();
      if (refusal != null) {
        refuse(ctx, refusal);
        return;
      }
      DocumentSession open = sessions.existing(name);
      refusal = open == null ? guards.newDocumentRefusal() : guards.documentConnectionsRefusal(name, open.liveConnections());
      if (refusal != null) {
        guards.releaseConnection();
        refuse(ctx, refusal);
        return;
      }
      ctx.request().toWebSocket().onSuccess(ws -> {
        YWebsocketConnection c = new YWebsocketConnection(vertx, ws, name, sessions, pingInterval, maxMessage, principal, access);
        track(c, guards);
        c.start();
      }).onFailure(e -> {
        guards.releaseConnection();
        Http.error(ctx, 400, "upgrade_failed", String.valueOf(e.getMessage()));
      });
    });
  }

  private void hocuspocus(RoutingContext ctx) {
    if (!isUpgrade(ctx)) {
      Http.error(ctx, 400, "websocket_required", "this endpoint speaks the Hocuspocus protocol over a websocket");
      return;
    }
    Guards guards = sessions.guards();
    Guards.Refusal refusal = guards.tryAcquireConnection();
    if (refusal != null) {
      refuse(ctx, refusal);
      return;
    }
    ctx.request().toWebSocket().onSuccess(ws -> {
      HocuspocusSocket s = new HocuspocusSocket(vertx, ws, sessions, authenticator, pingInterval, maxMessage);
      track(s, guards);
      s.start();
    }).onFailure(e -> {
      guards.releaseConnection();
      Http.error(ctx, 400, "upgrade_failed", String.valueOf(e.getMessage()));
    });
  }

  private void refuse(RoutingContext ctx, Guards.Refusal r) {
    LOG.fine(() -> "upgrade refused: " + r.code() + ": " + r.message());
    Http.unavailable(ctx, r.code(), r.message(), sessions.guards().retryAfterSeconds());
  }

  /** Tracks a live socket; its connection slot is given back when it closes. */
  private void track(SocketBase s, Guards guards) {
    live.add(s);
    s.guard = guards.connectionGuard();
    s.onGone = () -> {
      if (live.remove(s)) {
        guards.releaseConnection();
      }
    };
  }

  /**
   * Drain: one task per live socket that closes it (on its context) with {@code code} and
   * {@code reason}; a Hocuspocus socket is closed as a whole.
   */
  public List<Runnable> liveSocketClosers(int code, String reason) {
    List<Runnable> out = new ArrayList<>();
    for (SocketBase s : List.copyOf(live)) {
      out.add(() -> s.onContext(() -> s.close(code, reason)));
    }
    return out;
  }

  /** Live sockets on this node. */
  public int liveSockets() {
    return live.size();
  }

  /**
   * For tests and diagnostics: the name of the event-loop thread each live socket runs on (asked
   * on the socket's own context).
   */
  public Future<List<String>> socketThreads() {
    List<Future<String>> all = new ArrayList<>();
    for (SocketBase s : List.copyOf(live)) {
      Promise<String> p = Promise.promise();
      s.onContext(() -> p.complete(Thread.currentThread().getName()));
      all.add(p.future());
    }
    return Future.all(all).map(cf -> cf.<String>list());
  }

  /**
   * Closes (4403) every socket on this node that has {@code document} open (when not null) or
   * holds a token of {@code subject} (when not null); a Hocuspocus socket is closed as a whole.
   * Completes with the number of sockets closed.
   */
  public Future<Integer> disconnect(String document, String subject) {
    List<Future<Boolean>> all = new ArrayList<>();
    for (SocketBase s : List.copyOf(live)) {
      Promise<Boolean> p = Promise.promise();
      s.onContext(() -> {
        boolean hit = !s.closed && s.concerns(document, subject);
        if (hit) {
          s.close(CloseCodes.FORBIDDEN, "disconnected by an administrator");
        }
        p.complete(hit);
      });
      all.add(p.future());
    }
    return Future.join(all).transform(ar -> {
      int n = 0;
      for (Future<Boolean> f : all) {
        if (f.succeeded() && f.result()) {
          n++;
        }
      }
      LOG.log(Level.INFO, "admin disconnect (" + (document != null ? "document " + document : "subject " + subject)
          + "): " + n + " socket(s) closed");
      return Future.succeededFuture(n);
    });
  }
}
