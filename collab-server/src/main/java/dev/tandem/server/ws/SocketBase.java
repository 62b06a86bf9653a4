package dev.tandem.server.ws;

import dev.tandem.crdt.MalformedDataException;
import dev.tandem.server.guard.CapacityException;
import dev.tandem.server.guard.ConnectionGuard;
import dev.tandem.server.session.CloseCodes;
import dev.tandem.server.metrics.Metrics;
import dev.tandem.server.session.StorageUnavailableException;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import java.time.Duration;
import java.util.logging.Logger;

/**
 * What both websocket protocols share: writes, close with a code, keep-alive (a periodic ping,
 * protocol-specific, and a close with 4408 after three periods without any frame or pong), and the
 * close codes for bad frames, and the per-connection guards: message size (1009), message and byte
 * rate (4429) of what the client sends, and the outbound queue (4508: a socket that does not take
 * what the server sends is closed instead of buffering without bound).
 */
abstract class SocketBase {
  private static final Logger LOG = Logger.getLogger(SocketBase.class.getName());

  final Vertx vertx;
  final ServerWebSocket ws;
  final Context context;
  final String id;
  final long pingMillis;
  final long maxMessage;
  /** Metrics label: {@link Metrics#Y_WEBSOCKET} or {@link Metrics#HOCUSPOCUS}. */
  final String protocol;
  final Metrics metrics;
  /** This protocol's message and byte counters, resolved once per socket. */
  private final Metrics.Traffic traffic;
  volatile boolean closed;
  /** System.nanoTime() of the last inbound activity (any message or pong). */
  volatile long lastReceived = System.nanoTime();
  volatile long lastSent = System.nanoTime();
  private long timer = -1;
  /** Keep-alive bookkeeping, on the socket's context: the previous tick and what it saw. */
  private long lastTick = System.nanoTime();
  private long activitySeen = lastReceived;
  private int silentTicks;
  /** {@link #finish} ran (socket context only). */
  private boolean finished;
  /** Set by the endpoints before {@link #start}: runs once when the socket closed. */
  Runnable onGone = () -> {};
  /** Set by the endpoints before {@link #start}: rate limits and the outbound queue bound. */
  ConnectionGuard guard = ConnectionGuard.unlimited();

  SocketBase(Vertx vertx, ServerWebSocket ws, String kind, Duration pingInterval, long maxMessage) {
    this.maxMessage = maxMessage;
    this.vertx = vertx;
    this.ws = ws;
    this.context = vertx.getOrCreateContext();
    this.id = kind + "-" + WebsocketEndpoints.IDS.incrementAndGet();
    this.pingMillis = Math.max(1, pingInterval.toMillis());
    this.protocol = kind.equals("hp") ? Metrics.HOCUSPOCUS : Metrics.Y_WEBSOCKET;
    this.metrics = Metrics.of(vertx);
    this.traffic = metrics.traffic(protocol);
  }

  /** Called on the socket's context right after the upgrade. */
  void start() {
    metrics.connectionOpened(protocol);
    ws.binaryMessageHandler(buf -> {
      lastReceived = System.nanoTime();
      traffic.in(buf.length());
      if (closed) {
        return;
      }
      if (buf.length() > maxMessage) {
        close(CloseCodes.MESSAGE_TOO_BIG, "message of " + buf.length()
            + " bytes exceeds ws.max-message-size (" + maxMessage + ")");
        return;
      }
      String limited = guard.inbound(buf.length(), System.nanoTime());
      if (limited != null) {
        close(CloseCodes.RATE_LIMITED, limited);
        return;
      }
      byte[] bytes = buf.getBytes();
      try {
        onFrame(bytes);
      } catch (MalformedDataException e) {
        close(CloseCodes.PROTOCOL_ERROR, "malformed message: " + e.getMessage());
      }
    });
    ws.textMessageHandler(t -> close(CloseCodes.UNSUPPORTED_DATA, "text frames are not supported"));
    ws.pongHandler(b -> lastReceived = System.nanoTime());
    ws.exceptionHandler(e -> LOG.fine(() -> id + ": " + e));
    ws.closeHandler(v -> {
      closed = true;
      finish();
      onGone.run();
    });
    timer = vertx.setPeriodic(pingMillis, t -> {
      if (closed) {
        return;
      }
      if (silentTooLong(System.nanoTime())) {
        close(CloseCodes.KEEPALIVE_TIMEOUT, "no message or pong for " + 3 * pingMillis + " ms");
        return;
      }
      keepAlive(System.nanoTime() - lastSent >= pingMillis * 1_000_000L - 50_000_000L);
    });
  }

  /**
   * One keep-alive tick at {@code now}: is the peer dead? Any received message or pong counts as
   * liveness. A socket is judged dead only when three ticks in a row saw no new activity, at least
   * three ping intervals passed since the last activity, and this tick itself is on time: a tick
   * that fires more than half an interval late means the event loop was busy, and frames that
   * arrived meanwhile may not have been handled yet, so the judgement waits for the next tick.
   */
  boolean silentTooLong(long now) {
    long period = pingMillis * 1_000_000L;
    long received = lastReceived;
    boolean late = now - lastTick > period + period / 2;
    lastTick = now;
    if (received != activitySeen) {
      activitySeen = received;
      silentTicks = 0;
      return false;
    }
    silentTicks++;
    return silentTicks >= 3 && !late && now - received > 3 * period;
  }

  /**
   * On the socket's context, once: stops the keep-alive and detaches the socket from its sessions
   * ({@link #onClosed}). Runs when the server closes the socket (the TCP connection may linger until
   * the client answers the close frame, or Vert.x's closing timeout; a slow consumer's close frame
   * waits behind its queue) or when the socket closed.
   */
  private void finish() {
    if (finished) {
      return;
    }
    finished = true;
    metrics.connectionClosed(protocol);
    if (timer != -1) {
      vertx.cancelTimer(timer);
    }
    onClosed();
  }

  /** One binary message; may throw MalformedDataException (the socket is then closed with 1002). */
  abstract void onFrame(byte[] frame);

  /** The socket closed (either side). */
  abstract void onClosed();

  /** Periodic keep-alive; {@code idle} when nothing was sent for about a period. */
  abstract void keepAlive(boolean idle);

  /**
   * Called on the socket's context: does this socket have {@code document} open (when not null) or
   * a token of {@code subject} (when not null)? Used by the admin disconnect.
   */
  abstract boolean concerns(String document, String subject);

  /** Runs {@code r} on the socket's context. */
  void onContext(Runnable r) {
    context.runOnContext(v -> r.run());
  }

  /**
   * Sends one binary message (from any thread). When the bytes already queued for this socket are
   * over {@code guards.outbound-queue} the client is not keeping up: the socket is closed with 4508
   * and the message dropped (the queue is thus bounded by the limit plus one message).
   */
  void write(byte[] bytes) {
    if (closed) {
      return;
    }
    write(Buffer.buffer(bytes));
  }

  /**
   * Writes one frame; {@code frame} may be shared with other sockets (never modified). Called from a
   * session's loop, the write first moves to the socket's own loop (FIFO, so a session's frames keep
   * their order): the outbound queue guard then counts only what the network has not taken, as when
   * session and socket share a loop, not frames still in the hand-off between loops.
   */
  void write(Buffer frame) {
    if (closed) {
      return;
    }
    if (Vertx.currentContext() != context) {
      context.runOnContext(v -> writeHere(frame));
      return;
    }
    writeHere(frame);
  }

  private void writeHere(Buffer frame) {
    if (closed) {
      return;
    }
    if (guard.outboundFull()) {
      guard.slowConsumer();
      LOG.info(() -> id + ": slow consumer, " + guard.pendingBytes() + " bytes not taken by the network; closing");
      close(CloseCodes.SLOW_CONSUMER, "slow consumer: outbound queue over guards.outbound-queue ("
          + guard.outboundLimit() + " bytes)");
      return;
    }
    lastSent = System.nanoTime();
    int n = frame.length();
    traffic.out(n);
    guard.queued(n);
    ws.writeBinaryMessage(frame).onComplete(ar -> guard.written(n));
  }

  void close(int code, String reason) {
    if (closed) {
      return;
    }
    closed = true;
    LOG.fine(() -> id + ": closing with " + code + " " + reason);
    metrics.serverClose(protocol, code);
    ws.close((short) code, truncate(reason));
    onContext(this::finish);
  }

  /** How a socket or key ends when its document could not be opened. */
  record JoinFailure(int code, String reason) {
    /**
     * The close for a failed {@code SessionManager.join}: 1013 when trying again later may work (Redis
     * unavailable; a guard refusal: document or node at capacity, heap pressure, event-loop lag),
     * else 1011.
     */
    static JoinFailure of(Throwable failure) {
      if (failure instanceof StorageUnavailableException) {
        return new JoinFailure(CloseCodes.TRY_AGAIN_LATER, "storage unavailable, try again later");
      }
      if (failure instanceof CapacityException) {
        return new JoinFailure(CloseCodes.TRY_AGAIN_LATER, failure.getMessage());
      }
      return new JoinFailure(CloseCodes.INTERNAL_ERROR, "document could not be loaded");
    }
  }

  static String truncate(String reason) {
    // a close reason must fit a control frame (125 bytes with the code): keep it under 120 bytes of UTF-8
    StringBuilder sb = new StringBuilder();
    int bytes = 0;
    for (int i = 0; i < reason.length(); i++) {
      char c = reason.charAt(i);
      int n = c < 0x80 ? 1 : 3;
      if (bytes + n > 120 || Character.isSurrogate(c)) {
        break;
      }
      sb.append(c);
      bytes += n;
    }
    return sb.toString();
  }
}
