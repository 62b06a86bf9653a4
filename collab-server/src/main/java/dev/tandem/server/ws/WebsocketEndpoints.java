package dev.tandem.server.ws;

import dev.tandem.server.DocumentNames;
import dev.tandem.server.InvalidDocumentNameException;
import dev.tandem.server.auth.Authenticator;
import dev.tandem.server.rest.Http;
import dev.tandem.server.session.SessionManager;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Mounts {@code GET /ws/{document}} (y-websocket) and {@code GET /hocuspocus} (Hocuspocus). Bad
 * document names and non-upgrade requests get an HTTP 400 JSON error before any upgrade.
 */
public final class WebsocketEndpoints {
  static final AtomicLong IDS = new AtomicLong();

  private final Vertx vertx;
  private final SessionManager sessions;
  private final Authenticator authenticator;
  private final Duration pingInterval;
  private final long maxMessage;

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

  private void yWebsocket(RoutingContext ctx) {
    String raw = ctx.request().path().substring("/ws/".length());
    String name;
    try {
      name = DocumentNames.validate(Http.percentDecode(raw));
    } catch (IllegalArgumentException e) {
      Http.error(ctx, 400, "invalid_document_name", "invalid document name: " + e.getMessage());
      return;
    }
    if (!isUpgrade(ctx)) {
      Http.error(ctx, 400, "websocket_required", "this endpoint speaks the y-websocket protocol over a websocket");
      return;
    }
    ctx.request().toWebSocket().onSuccess(ws -> new YWebsocketConnection(vertx, ws, name, sessions, pingInterval, maxMessage).start())
        .onFailure(e -> Http.error(ctx, 400, "upgrade_failed", String.valueOf(e.getMessage())));
  }

  private void hocuspocus(RoutingContext ctx) {
    if (!isUpgrade(ctx)) {
      Http.error(ctx, 400, "websocket_required", "this endpoint speaks the Hocuspocus protocol over a websocket");
      return;
    }
    ctx.request().toWebSocket()
        .onSuccess(ws -> new HocuspocusSocket(vertx, ws, sessions, authenticator, pingInterval, maxMessage).start())
        .onFailure(e -> Http.error(ctx, 400, "upgrade_failed", String.valueOf(e.getMessage())));
  }
}
