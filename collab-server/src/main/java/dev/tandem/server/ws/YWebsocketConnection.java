package dev.tandem.server.ws;

import dev.tandem.crdt.protocol.AwarenessUpdate;
import dev.tandem.crdt.protocol.SyncMessage;
import dev.tandem.crdt.protocol.ywebsocket.YWebsocketCodec;
import dev.tandem.crdt.protocol.ywebsocket.YWebsocketMessage;
import dev.tandem.server.auth.Access;
import dev.tandem.server.auth.Principal;
import dev.tandem.server.guard.DocumentTooLargeException;
import dev.tandem.server.session.CloseCodes;
import dev.tandem.server.session.DocumentSession;
import dev.tandem.server.session.Outgoing;
import dev.tandem.server.session.SessionConnection;
import dev.tandem.server.session.SessionManager;
import dev.tandem.server.session.WriteBufferFullException;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One y-websocket socket ({@code GET /ws/{document}}), as y-websocket 3.1.0's WebsocketProvider
 * speaks it: on connect the server sends SyncStep1 and the current awareness (once the document is
 * loaded; frames the client sends before are kept and handled after); SyncStep1 is answered with
 * SyncStep2; updates and awareness are relayed; QueryAwareness is answered with every state.
 * Keep-alive: a websocket ping every {@code ws.ping-interval}, plus an empty awareness update when
 * nothing else was sent, because the provider closes a socket that received no message for 30 s
 * (pings do not count as messages there).
 */
final class YWebsocketConnection extends SocketBase implements SessionConnection {
  private static final Logger LOG = Logger.getLogger(YWebsocketConnection.class.getName());
  /** Type 1 (awareness) with an awareness update of zero entries: changes nothing at the client. */
  private static final byte[] EMPTY_AWARENESS = {1, 1, 0};
  /** Every y-websocket socket gets the same frame for a relayed message: one key for all. */
  private static final Object FRAME_KEY = new Object();

  private final String document;
  private final SessionManager sessions;
  private final Principal principal;
  private final Access access;
  private long expiryTimer = -1;
  private DocumentSession session;
  private List<YWebsocketMessage> pending = new ArrayList<>();

  YWebsocketConnection(Vertx vertx, ServerWebSocket ws, String document, SessionManager sessions, Duration pingInterval,
      long maxMessage, Principal principal, Access access) {
    super(vertx, ws, "ws", pingInterval, maxMessage);
    this.document = document;
    this.sessions = sessions;
    this.principal = principal;
    this.access = access;
  }

  @Override
  void start() {
    super.start();
    if (principal.expires()) {
      // y-websocket cannot refresh a token on a live socket: the provider reconnects with its params
      long delay = Math.max(1, principal.expiresAtMillis() - System.currentTimeMillis());
      expiryTimer = vertx.setTimer(delay, t -> close(CloseCodes.UNAUTHENTICATED, "token expired"));
    }
    sessions.join(document, this, true).onComplete(ar -> context.runOnContext(v -> {
      if (ar.failed()) {
        LOG.log(Level.FINE, id + ": could not open " + document, ar.cause());
        // a guard refusal here: admitted at the upgrade, but a guard tripped meanwhile (e.g. the last document slot was taken)
        JoinFailure f = JoinFailure.of(ar.cause());
        close(f.code(), f.reason());
        return;
      }
      session = ar.result();
      if (closed) {
        // The socket closed while the join was completing (the session runs on another loop, so the
        // client may have seen SyncStep1, sent an update and closed before this task ran): updates
        // that arrived before the close are still applied and stored, then the connection leaves.
        for (YWebsocketMessage m : pending) {
          if (m instanceof YWebsocketMessage.Sync sync && !(sync.message() instanceof SyncMessage.Step1) && canWrite()) {
            session.update(this, sync.message().payload());
          }
        }
        pending = null;
        session.leave(this);
        return;
      }
      List<YWebsocketMessage> queued = pending;
      pending = null;
      queued.forEach(this::dispatch);
    }));
  }

  @Override
  void onFrame(byte[] frame) {
    YWebsocketMessage m = YWebsocketCodec.decode(frame);
    if (pending != null) {
      pending.add(m);
    } else {
      dispatch(m);
    }
  }

  private void dispatch(YWebsocketMessage m) {
    if (closed) {
      return;
    }
    if (m instanceof YWebsocketMessage.Sync sync) {
      SyncMessage s = sync.message();
      if (s instanceof SyncMessage.Step1 step1) {
        session.syncStep1(this, step1.stateVector(), false);
      } else if (canWrite()) {
        session.update(this, s.payload()).onFailure(e -> {
          if (e instanceof WriteBufferFullException) {
            // y-websocket has no negative acknowledgement: the close tells the client; it reconnects
            // and resends what the server lacks through the normal sync
            close(CloseCodes.TRY_AGAIN_LATER, "write buffer full, update refused, try again later");
          } else if (e instanceof DocumentTooLargeException) {
            // nothing was applied; reconnecting cannot help while the document stays this big
            close(CloseCodes.DOCUMENT_TOO_LARGE, "document size limit (guards.max-document-size), update refused");
          }
        });
      }
      // read-only: SyncStep2 and Update are dropped (y-websocket has no acknowledgement to refuse with)
    } else if (m instanceof YWebsocketMessage.Awareness a) {
      session.awareness(this, a.update());
    } else if (m instanceof YWebsocketMessage.QueryAwareness) {
      session.queryAwareness(this);
    }
    // Auth: the server never asks y-websocket clients for it; ignored like y-websocket's server does.
  }

  @Override
  boolean concerns(String doc, String subject) {
    return (doc != null && doc.equals(document)) || (subject != null && subject.equals(principal.subject()));
  }

  @Override
  void onClosed() {
    if (expiryTimer != -1) {
      vertx.cancelTimer(expiryTimer);
    }
    if (session != null) {
      session.leave(this);
    }
  }

  @Override
  void keepAlive(boolean idle) {
    ws.writePing(Buffer.buffer());
    if (idle) {
      write(EMPTY_AWARENESS);
    }
  }

  // --- SessionConnection (called on the session's context) ---

  @Override
  public String id() {
    return id;
  }

  @Override
  public String protocol() {
    return protocol;
  }

  @Override
  public boolean canWrite() {
    return access.canWrite();
  }

  @Override
  public void sendSyncStep1(byte[] stateVector) {
    write(YWebsocketCodec.encode(new YWebsocketMessage.Sync(new SyncMessage.Step1(stateVector))));
  }

  @Override
  public void sendSyncStep2(byte[] update) {
    write(YWebsocketCodec.encode(new YWebsocketMessage.Sync(new SyncMessage.Step2(update))));
  }

  @Override
  public void sendUpdate(byte[] update) {
    write(updateFrame(update));
  }

  @Override
  public void sendAwareness(AwarenessUpdate update) {
    write(YWebsocketCodec.encode(new YWebsocketMessage.Awareness(update)));
  }

  @Override
  public void relayUpdate(Outgoing<byte[]> update) {
    write(update.frame(FRAME_KEY, YWebsocketConnection::updateFrame));
  }

  @Override
  public void relayAwareness(Outgoing<AwarenessUpdate> update) {
    write(update.frame(FRAME_KEY, u -> YWebsocketCodec.encode(new YWebsocketMessage.Awareness(u))));
  }

  private static byte[] updateFrame(byte[] update) {
    return YWebsocketCodec.encode(new YWebsocketMessage.Sync(new SyncMessage.Update(update)));
  }

  @Override
  public void sendStateless(String payload) {
    // not part of the y-websocket protocol
  }

  @Override
  public void sendSyncStatus(boolean applied) {
    // not part of the y-websocket protocol
  }

  @Override
  public void closeBySession(int code, String reason) {
    close(code, reason);
  }

  @Override
  public String toString() {
    return id + "(" + document + ")";
  }
}
