package dev.tandem.server.ws;

import dev.tandem.crdt.protocol.AwarenessUpdate;
import dev.tandem.crdt.protocol.SyncMessage;
import dev.tandem.crdt.protocol.hocuspocus.AuthorizedScope;
import dev.tandem.crdt.protocol.hocuspocus.HocuspocusAuth;
import dev.tandem.crdt.protocol.hocuspocus.HocuspocusDecoder;
import dev.tandem.crdt.protocol.hocuspocus.HocuspocusEncoder;
import dev.tandem.crdt.protocol.hocuspocus.HocuspocusFrame;
import dev.tandem.crdt.protocol.hocuspocus.HocuspocusMessage;
import dev.tandem.server.DocumentNames;
import dev.tandem.server.InvalidDocumentNameException;
import dev.tandem.server.auth.Access;
import dev.tandem.server.auth.AuthenticationException;
import dev.tandem.server.auth.Authenticator;
import dev.tandem.server.auth.Principal;
import dev.tandem.server.guard.DocumentTooLargeException;
import dev.tandem.server.session.CloseCodes;
import dev.tandem.server.session.DocumentSession;
import dev.tandem.server.session.Outgoing;
import dev.tandem.server.session.SessionConnection;
import dev.tandem.server.session.SessionManager;
import dev.tandem.server.session.WriteBufferFullException;
import io.vertx.core.Vertx;
import io.vertx.core.http.ServerWebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One Hocuspocus socket ({@code GET /hocuspocus}), as {@code @hocuspocus/provider} 4.8.0 speaks it:
 * any number of documents multiplexed, each addressed by the key the provider put first in the frame
 * (the name, or {@code name\0sessionId}), which every reply echoes.
 *
 * <p>Per key: nothing but Auth is handled before the Auth handshake succeeded. The provider sends
 * Token, SyncStep1 and its awareness back to back, so frames that arrive before the handshake
 * finished are queued (at most {@value #MAX_QUEUED} per socket, else close 1008) and handled after
 * Authenticated, in order; after PermissionDenied they are dropped. Then: SyncStep1 is answered with
 * SyncStep2 followed by the server's own SyncStep1; Update and SyncStep2 are applied and answered
 * with SyncStatus(true) once Redis accepted them (SyncStatus(false) on a read-only key); SyncReply is
 * handled like Sync without the step-1 answer; awareness, QueryAwareness, Stateless (and
 * BroadcastStateless, delivered as Stateless) work per document; Close detaches one document.
 * A document refused for a temporary reason closes the whole socket with 1013 when it is the
 * socket's only document (the provider retries closed sockets, never closed keys), else only its key
 * ({@link #closeKey}).
 * Keep-alive: an application-level Ping {@code [9]} every {@code ws.ping-interval} (the provider
 * answers Pong {@code [10]} and drops a socket that received nothing for 30 s).
 */
final class HocuspocusSocket extends SocketBase {
  private static final Logger LOG = Logger.getLogger(HocuspocusSocket.class.getName());
  static final int MAX_QUEUED = 256;
  private static final byte[] PING = {9};

  /** At most this many refused keys per socket (their frames are dropped), else close 1008. */
  static final int MAX_DENIED = 256;
  /** A refresh is asked for (Auth TokenRequest) at most this long before a token expires. */
  static final long REFRESH_LEAD_MS = 30_000;

  private enum Phase { AWAITING_TOKEN, AUTHENTICATING, ATTACHING, ATTACHED, DENIED }

  private final SessionManager sessions;
  private final Authenticator authenticator;
  /** By document key; touched only on the socket's context. */
  private final Map<String, Doc> docs = new HashMap<>();
  private int queued;
  private int denied;

  HocuspocusSocket(Vertx vertx, ServerWebSocket ws, SessionManager sessions, Authenticator authenticator,
      Duration pingInterval, long maxMessage) {
    super(vertx, ws, "hp", pingInterval, maxMessage);
    this.sessions = sessions;
    this.authenticator = authenticator;
  }

  @Override
  void onFrame(byte[] bytes) {
    HocuspocusFrame frame = HocuspocusDecoder.decodeFromClient(bytes);
    if (!(frame instanceof HocuspocusFrame.Document f)) {
      return; // Pong: lastReceived is already updated
    }
    String key = f.documentKey();
    Doc d = docs.get(key);
    if (f.message() instanceof HocuspocusMessage.Auth auth) {
      if (!(auth.auth() instanceof HocuspocusAuth.Token token)) {
        close(CloseCodes.PROTOCOL_ERROR, "unexpected auth message from a client");
        return;
      }
      if (d != null && d.phase == Phase.AUTHENTICATING) {
        return; // the first token is being checked
      }
      if (d != null && (d.phase == Phase.ATTACHING || d.phase == Phase.ATTACHED)) {
        refresh(d, token.token());
        return;
      }
      authenticate(key, d, f.documentName(), token.token());
      return;
    }
    if (f.message() instanceof HocuspocusMessage.CloseRequest && (d == null || d.phase == Phase.AWAITING_TOKEN)) {
      // nothing is open under this key (e.g. the provider detaches a document the server refused, after
      // its user typed into it): forget what the key queued. Queued, the Close would wait for the
      // next Token and then detach the document that Token attached.
      dropDoc(key);
      return;
    }
    if (d == null) {
      d = new Doc(key, f.documentName());
      docs.put(key, d);
    }
    if (d.phase == Phase.DENIED) {
      return; // refused: everything but a new Token is dropped
    }
    if (d.phase != Phase.ATTACHED) {
      if (++queued > MAX_QUEUED) {
        close(CloseCodes.POLICY_VIOLATION, "too many messages before authentication");
        return;
      }
      d.queue.add(f.message());
      return;
    }
    dispatch(d, f.message());
  }

  private void authenticate(String key, Doc existing, String name, String token) {
    Doc d = existing != null ? existing : new Doc(key, name);
    try {
      DocumentNames.validate(name);
    } catch (InvalidDocumentNameException e) {
      if (d.phase != Phase.DENIED) {
        deny(d, "invalid document name: " + e.getMessage());
      }
      return;
    }
    if (d.phase == Phase.DENIED) {
      denied--;
    }
    docs.put(key, d);
    d.phase = Phase.AUTHENTICATING;
    authenticator.authenticate(token).onComplete(ar -> context.runOnContext(v -> {
      if (closed || docs.get(key) != d) {
        return;
      }
      String refusal = refusal(ar.succeeded() ? ar.result() : null, ar.cause(), name);
      if (refusal != null) {
        deny(d, refusal);
        return;
      }
      d.granted(ar.result());
      d.phase = Phase.ATTACHING;
      d.sendAuthenticated();
      sessions.join(name, d, false).onComplete(jr -> context.runOnContext(v2 -> attached(d, jr.succeeded() ? jr.result() : null, jr.cause())));
    }));
  }

  /**
   * A new Token on an authenticated key (the client refreshes, or answers the server's
   * TokenRequest): the new token replaces the old one (scope and expiry); a token that is invalid or
   * does not open the document any more gets PermissionDenied and the key is detached.
   */
  private void refresh(Doc d, String token) {
    authenticator.authenticate(token).onComplete(ar -> context.runOnContext(v -> {
      if (closed || docs.get(d.key) != d) {
        return;
      }
      String refusal = refusal(ar.succeeded() ? ar.result() : null, ar.cause(), d.name);
      if (refusal != null) {
        deny(d, refusal);
        return;
      }
      d.granted(ar.result());
      d.sendAuthenticated();
    }));
  }

  /** Why {@code principal} may not open {@code name} (null: it may). */
  private String refusal(Principal principal, Throwable failure, String name) {
    if (principal == null) {
      if (failure instanceof AuthenticationException) {
        return failure.getMessage();
      }
      LOG.log(Level.WARNING, id + ": authenticator failed", failure);
      return "permission denied";
    }
    if (principal.access(name) == null) {
      return "forbidden: the token does not grant document " + name;
    }
    return null;
  }

  /** PermissionDenied for the key: detached, later frames dropped until a new Token. */
  private void deny(Doc d, String reason) {
    dropDoc(d.key);
    d.phase = Phase.DENIED;
    d.queue = new ArrayList<>();
    if (++denied > MAX_DENIED) {
      close(CloseCodes.POLICY_VIOLATION, "too many refused documents on one socket");
      return;
    }
    docs.put(d.key, d);
    d.send(new HocuspocusMessage.Auth(new HocuspocusAuth.PermissionDenied(reason)));
  }

  private void attached(Doc d, DocumentSession session, Throwable failure) {
    if (session == null) {
      LOG.log(Level.FINE, id + ": could not open " + d.name, failure);
      if (docs.get(d.key) == d && d.phase == Phase.ATTACHING) {
        JoinFailure f = JoinFailure.of(failure);
        closeKey(d, f.code(), f.reason());
      }
      return;
    }
    if (closed || docs.get(d.key) != d || d.phase != Phase.ATTACHING) {
      session.leave(d);
      return;
    }
    d.session = session;
    d.phase = Phase.ATTACHED;
    List<HocuspocusMessage> q = d.queue;
    d.queue = new ArrayList<>();
    queued -= q.size();
    for (HocuspocusMessage m : q) {
      if (closed || docs.get(d.key) != d) {
        return;
      }
      dispatch(d, m);
    }
  }

  /**
   * Ends one document of this socket: the key is detached and the client told why. A temporary
   * refusal ({@code code} 1013: a guard at its limit, Redis unavailable) of the socket's only
   * document closes the whole socket with 1013 and the reason: {@code @hocuspocus/provider} 4.8.0
   * reconnects a closed socket (after its {@code delay}) and then sends its token again, so the
   * document is retried; a Close message on a live socket it never retries. While the socket
   * carries other documents only this key gets a Close message (closing the socket would interrupt
   * them; the document is retried when the socket reconnects, docs/protocol.md). Anything else
   * (document deleted or unloadable) is final for the key: a Close message.
   */
  private void closeKey(Doc d, int code, String reason) {
    dropDoc(d.key);
    if (code == CloseCodes.TRY_AGAIN_LATER && !carriesDocuments()) {
      close(code, reason);
      return;
    }
    write(HocuspocusEncoder.encode(d.key, new HocuspocusMessage.Close(reason)));
  }

  /** Does the socket still carry a document: a key attached, on its way, or waiting for its token? Refused keys do not count. */
  private boolean carriesDocuments() {
    for (Doc o : docs.values()) {
      if (o.phase != Phase.DENIED) {
        return true;
      }
    }
    return false;
  }

  private void dropDoc(String key) {
    Doc d = docs.remove(key);
    if (d != null) {
      if (d.phase == Phase.DENIED) {
        denied--;
      }
      queued -= d.queue.size();
      d.queue.clear();
      d.cancelTimers();
      if (d.session != null) {
        d.session.leave(d);
        d.session = null;
      }
    }
  }

  private void dispatch(Doc d, HocuspocusMessage m) {
    DocumentSession s = d.session;
    if (m instanceof HocuspocusMessage.Sync sync) {
      sync(d, sync.message(), true);
    } else if (m instanceof HocuspocusMessage.SyncReply reply) {
      sync(d, reply.message(), false);
    } else if (m instanceof HocuspocusMessage.Awareness a) {
      s.awareness(d, a.update());
    } else if (m instanceof HocuspocusMessage.QueryAwareness) {
      s.queryAwareness(d);
    } else if (m instanceof HocuspocusMessage.Stateless st) {
      s.stateless(d, st.payload());
    } else if (m instanceof HocuspocusMessage.BroadcastStateless st) {
      s.stateless(d, st.payload());
    } else if (m instanceof HocuspocusMessage.CloseRequest) {
      dropDoc(d.key);
    }
  }

  private void sync(Doc d, SyncMessage m, boolean answerStep1WithStep1) {
    if (m instanceof SyncMessage.Step1 step1) {
      d.session.syncStep1(d, step1.stateVector(), answerStep1WithStep1);
      return;
    }
    if (!d.canWrite()) {
      d.sendSyncStatus(false);
      return;
    }
    d.session.update(d, m.payload()).onComplete(ar -> {
      if (ar.succeeded()) {
        d.sendSyncStatus(true);
      } else if (ar.cause() instanceof WriteBufferFullException) {
        // refused before it was applied; the session asks for a resync once the buffer has room
        d.sendSyncStatus(false);
      } else if (ar.cause() instanceof DocumentTooLargeException) {
        d.sendSyncStatus(false); // refused before it was applied (guards.max-document-size)
      }
    });
  }

  @Override
  boolean concerns(String document, String subject) {
    for (Doc d : docs.values()) {
      if (d.principal == null || d.phase == Phase.DENIED) {
        continue;
      }
      if ((document != null && document.equals(d.name)) || (subject != null && subject.equals(d.principal.subject()))) {
        return true;
      }
    }
    return false;
  }

  @Override
  void onClosed() {
    for (Doc d : docs.values()) {
      d.cancelTimers();
      if (d.session != null) {
        d.session.leave(d);
      }
    }
    docs.clear();
  }

  @Override
  void keepAlive(boolean idle) {
    write(PING);
  }

  /** One document attached through this socket. */
  private final class Doc implements SessionConnection {
    final String key;
    final String name;
    final String connectionId;
    Phase phase = Phase.AWAITING_TOKEN;
    Access access = Access.READ_ONLY;
    Principal principal;
    long expiryTimer = -1;
    long refreshTimer = -1;
    /** The expiry a TokenRequest was sent for (one request per token). */
    long refreshAskedFor;
    DocumentSession session;
    List<HocuspocusMessage> queue = new ArrayList<>();

    Doc(String key, String name) {
      this.key = key;
      this.name = name;
      int nul = key.indexOf('\0');
      this.connectionId = nul < 0 ? id : id + "/" + key.substring(nul + 1);
    }

    private void send(HocuspocusMessage m) {
      write(HocuspocusEncoder.encode(key, m));
    }

    /** A verified token that opens this document: scope and expiry timers follow it. */
    void granted(Principal p) {
      principal = p;
      access = p.access(name);
      cancelTimers();
      if (!p.expires()) {
        return;
      }
      long now = System.currentTimeMillis();
      long left = Math.max(1, p.expiresAtMillis() - now);
      expiryTimer = vertx.setTimer(left, t -> {
        expiryTimer = -1;
        if (docs.get(key) == this) {
          close(CloseCodes.UNAUTHENTICATED, "token expired for " + name);
        }
      });
      if (refreshAskedFor != p.expiresAtMillis()) {
        long lead = Math.min(REFRESH_LEAD_MS, left / 2);
        refreshTimer = vertx.setTimer(Math.max(1, left - lead), t -> {
          refreshTimer = -1;
          if (docs.get(key) == this && !closed) {
            refreshAskedFor = p.expiresAtMillis();
            send(new HocuspocusMessage.Auth(new HocuspocusAuth.TokenRequest()));
          }
        });
      }
    }

    void cancelTimers() {
      if (expiryTimer != -1) {
        vertx.cancelTimer(expiryTimer);
        expiryTimer = -1;
      }
      if (refreshTimer != -1) {
        vertx.cancelTimer(refreshTimer);
        refreshTimer = -1;
      }
    }

    void sendAuthenticated() {
      send(new HocuspocusMessage.Auth(new HocuspocusAuth.Authenticated(
          access == Access.READ_ONLY ? AuthorizedScope.READ_ONLY : AuthorizedScope.READ_WRITE)));
    }

    @Override
    public String id() {
      return connectionId;
    }

    @Override
    public String protocol() {
      return protocol;
    }

    @Override
    public boolean canWrite() {
      return access == Access.READ_WRITE;
    }

    @Override
    public void sendSyncStep1(byte[] stateVector) {
      send(new HocuspocusMessage.Sync(new SyncMessage.Step1(stateVector)));
    }

    @Override
    public void sendSyncStep2(byte[] update) {
      send(new HocuspocusMessage.Sync(new SyncMessage.Step2(update)));
    }

    @Override
    public void sendUpdate(byte[] update) {
      send(new HocuspocusMessage.Sync(new SyncMessage.Update(update)));
    }

    @Override
    public void sendAwareness(AwarenessUpdate update) {
      send(new HocuspocusMessage.Awareness(update));
    }

    // Relayed frames start with the document key: sockets that use the same key share one frame.
    @Override
    public void relayUpdate(Outgoing<byte[]> update) {
      write(update.frame(key, u -> HocuspocusEncoder.encode(key, new HocuspocusMessage.Sync(new SyncMessage.Update(u)))));
    }

    @Override
    public void relayAwareness(Outgoing<AwarenessUpdate> update) {
      write(update.frame(key, u -> HocuspocusEncoder.encode(key, new HocuspocusMessage.Awareness(u))));
    }

    @Override
    public void sendStateless(String payload) {
      send(new HocuspocusMessage.Stateless(payload));
    }

    @Override
    public void sendSyncStatus(boolean applied) {
      send(new HocuspocusMessage.SyncStatus(applied));
    }

    /**
     * A bad update or server shutdown closes the whole socket (1003 / 1001); a deleted or unloadable
     * document only this key: a CLOSE message with the reason (the provider reports code 1000); a
     * document that could not be loaded because Redis is unavailable (1013) as {@link #closeKey}
     * says: the whole socket when it was the socket's only document.
     */
    @Override
    public void closeBySession(int code, String reason) {
      if (code == CloseCodes.UNSUPPORTED_DATA || code == CloseCodes.GOING_AWAY) {
        close(code, reason);
        return;
      }
      context.runOnContext(v -> {
        if (docs.get(key) == this) {
          session = null; // the session has already forgotten this connection
          closeKey(this, code, reason);
        }
      });
    }

    @Override
    public String toString() {
      return connectionId + "(" + name + ")";
    }
  }
}
