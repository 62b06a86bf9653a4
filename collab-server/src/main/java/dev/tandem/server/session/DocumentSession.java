package dev.tandem.server.session;

import dev.tandem.crdt.MalformedDataException;
import dev.tandem.crdt.protocol.AwarenessCodec;
import dev.tandem.crdt.protocol.AwarenessEntry;
import dev.tandem.crdt.protocol.AwarenessUpdate;
import dev.tandem.crdt.update.Updates;
import dev.tandem.server.guard.CapacityException;
import dev.tandem.server.guard.DocumentTooLargeException;
import dev.tandem.server.guard.Guards;
import dev.tandem.server.metrics.Metrics;
import dev.tandem.server.store.RedisGuard;
import dev.tandem.server.store.UpdateOrigin;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One open document on this node: its {@link DocumentState}, its connections and their awareness.
 *
 * <p><b>Threading.</b> A session is pinned to one Vert.x event-loop context ({@link #context()});
 * every field is read and written only there, so there are no locks. Public methods may be called
 * from any thread: they hop onto the context ({@code runOnContext}, FIFO per calling thread, so the
 * order of one socket's messages is kept).
 *
 * <p><b>State operations</b> (apply, diff, state vector) run one at a time, in arrival order,
 * through a future chain. Operations on the whole document (encoding it for a joining client or a
 * REST read) of a document of at least {@code session.offload-bytes}, and updates of at least that
 * size, run on a Vert.x worker thread while the chain waits, so a big document never stalls the
 * event loop; everything else runs inline. The state object is then touched by one thread at a
 * time, with happens-before through the futures.
 *
 * <p><b>Loading.</b> The session starts in LOADING: {@code RedisDocumentStore.load} (snapshot + log
 * tail) plus any update of this document whose Redis append is still being retried by an evicted
 * predecessor session. Everything a client sends meanwhile (and its joining) waits for the load, so
 * no client ever sees an empty or partial document.
 *
 * <p><b>Updates</b>: applied all-or-nothing (an update that does not decode or apply changes
 * nothing and closes its connection); room reserved in the node's
 * {@link WriteBuffer} (when there is none the update is refused with {@link WriteBufferFullException}
 * before it is applied, unless it brings nothing new); applied once; relayed to the other local
 * connections; appended to Redis through a per-document chain (one append at a time, so the log
 * keeps arrival order); acknowledged (Hocuspocus SyncStatus, REST 2xx) only once Redis accepted
 * it, which also frees its room in the buffer. An update that brings nothing new is not stored
 * again; its acknowledgement waits for every append queued before it (the content it duplicates may
 * still be on its way). A failed append is retried with back-off (100 ms doubling to 5 s) until it
 * succeeds or the node stops; while the Redis circuit breaker is open (degraded mode) it waits for
 * the breaker to close instead, so the chain drains in order as soon as Redis is back. A connection
 * whose update was refused is sent the server's SyncStep1 once the buffer is at most half full, so
 * its client sends the refused content again (Yjs resync).
 *
 * <p><b>Eviction</b>: {@code session.eviction-grace} after the last connection (or REST request)
 * left, the session removes itself from the {@link SessionManager}, also when appends are still
 * being retried: the retries continue on their own, and a new session for the document includes
 * those updates while they are in flight.
 */
public final class DocumentSession {
  private static final Logger LOG = Logger.getLogger(DocumentSession.class.getName());

  enum Phase { LOADING, READY, FAILED, CLOSED }

  /** Most updates / bytes one Redis append call carries (larger backlogs go in several calls). */
  static final int MAX_BATCH_UPDATES = 256;
  static final long MAX_BATCH_BYTES = 1 << 20;

  private final String name;
  private final SessionManager manager;
  private final Vertx vertx;
  private final Context context;
  private final Metrics metrics;

  private Phase phase = Phase.LOADING;
  private DocumentState state;
  private final List<Promise<Void>> readyWaiters = new ArrayList<>();
  /** Connection -> awareness client ids it introduced. */
  private final Map<SessionConnection, Set<Long>> connections = new LinkedHashMap<>();
  /** {@code connections.size()}, readable from any thread (guards, capacity monitor). */
  private volatile int connectionCount;
  private final Map<Long, AwarenessEntry> awareness = new LinkedHashMap<>();
  private int holds;
  private long evictionTimer = -1;
  private Future<Void> stateTail = Future.succeededFuture();
  /** Completes once every append queued so far is done (never fails). */
  private Future<Void> appendTail = Future.succeededFuture();
  /** Updates waiting for the next Redis call, in arrival order. */
  private final ArrayDeque<PendingAppend> appendQueue = new ArrayDeque<>();
  /** Whether a Redis call with appends of this document is in flight. */
  private boolean appending;
  /** Connections that had an update refused (write buffer full): resynced once there is room again. */
  private final Set<SessionConnection> refused = new LinkedHashSet<>();

  DocumentSession(String name, SessionManager manager, Context context) {
    this.name = name;
    this.manager = manager;
    this.vertx = manager.vertx();
    this.context = context;
    this.metrics = Metrics.of(vertx);
    context.runOnContext(v -> load());
  }

  public String name() {
    return name;
  }

  public Context context() {
    return context;
  }

  // ------------------------------------------------------------------------------- plumbing

  private void run(Runnable r) {
    if (Vertx.currentContext() == context) {
      r.run();
    } else {
      context.runOnContext(v -> r.run());
    }
  }

  /** Completes (on the context) once the document is loaded; fails if the session failed or closed. */
  private Future<Void> ready() {
    switch (phase) {
      case READY:
        return Future.succeededFuture();
      case LOADING:
        Promise<Void> p = Promise.promise();
        readyWaiters.add(p);
        return p.future();
      default:
        return Future.failedFuture(new SessionClosedException(name));
    }
  }

  /**
   * Runs {@code op} on the state in order with every other state operation; inline when its input
   * ({@code inputBytes}, plus the document's size when {@code wholeDocument}) is small, else on a
   * worker thread.
   */
  private <T> Future<T> withState(long inputBytes, boolean wholeDocument, Function<DocumentState, T> op) {
    if (stateTail.isComplete() && inputBytes < manager.offloadBytes()
        && (!wholeDocument || state.sizeBytes() + inputBytes < manager.offloadBytes())) {
      // nothing queued before it: run now, without chaining (the common case of a typing-sized update)
      try {
        return Future.succeededFuture(op.apply(state));
      } catch (RuntimeException e) {
        return Future.failedFuture(e);
      }
    }
    Promise<T> result = Promise.promise();
    stateTail = stateTail.transform(ignored -> {
      Future<T> f;
      DocumentState s = state;
      if ((wholeDocument ? s.sizeBytes() : 0) + inputBytes < manager.offloadBytes()) {
        try {
          f = Future.succeededFuture(op.apply(s));
        } catch (RuntimeException e) {
          f = Future.failedFuture(e);
        }
      } else {
        f = vertx.executeBlocking(() -> op.apply(s), false);
      }
      f.onComplete(result);
      return f.<Void>mapEmpty().otherwiseEmpty();
    });
    return result.future();
  }

  private void load() {
    // loads queue node-wide (at most a few at once) and retry while the Redis client's pool is full
    manager.load(name, context).recover(e -> Future.failedFuture(
        new StorageUnavailableException("storage unavailable: " + e.getMessage(), e))).compose(stored -> {
      List<byte[]> updates = new ArrayList<>();
      long total = 0;
      for (Buffer b : stored.updates()) {
        updates.add(b.getBytes());
        total += b.length();
      }
      for (byte[] u : manager.inflight(name)) {
        updates.add(u);
        total += u.length;
      }
      if (total < manager.offloadBytes()) {
        return Future.succeededFuture(manager.stateFactory().apply(name, updates));
      }
      return vertx.executeBlocking(() -> manager.stateFactory().apply(name, updates), false);
    }).onComplete(ar -> {
      if (phase != Phase.LOADING) {
        return; // deleted while loading
      }
      if (ar.succeeded()) {
        state = ar.result();
        phase = Phase.READY;
        List<Promise<Void>> waiters = new ArrayList<>(readyWaiters);
        readyWaiters.clear();
        waiters.forEach(Promise::complete);
        maybeScheduleEviction();
      } else {
        boolean unavailable = ar.cause() instanceof StorageUnavailableException;
        if (unavailable) {
          LOG.fine(() -> "document " + name + " could not be loaded: " + ar.cause().getMessage());
        } else {
          LOG.log(Level.WARNING, "document " + name + " could not be loaded", ar.cause());
        }
        phase = Phase.FAILED;
        manager.remove(name, this);
        failWaiters(ar.cause());
        if (unavailable) {
          closeAll(CloseCodes.TRY_AGAIN_LATER, "storage unavailable, try again later");
        } else {
          closeAll(CloseCodes.INTERNAL_ERROR, "document could not be loaded");
        }
      }
    });
  }

  private void failWaiters(Throwable cause) {
    List<Promise<Void>> waiters = new ArrayList<>(readyWaiters);
    readyWaiters.clear();
    waiters.forEach(p -> p.fail(cause));
  }

  private void closeAll(int code, String reason) {
    List<SessionConnection> all = new ArrayList<>(connections.keySet());
    connections.clear();
    connectionCount = 0;
    awareness.clear();
    for (SessionConnection c : all) {
      c.closeBySession(code, reason);
    }
  }

  private void maybeScheduleEviction() {
    if (phase != Phase.READY || !connections.isEmpty() || holds > 0 || evictionTimer != -1) {
      return;
    }
    long delay = Math.max(1, manager.evictionGrace().toMillis());
    evictionTimer = vertx.setTimer(delay, t -> {
      evictionTimer = -1;
      if (phase == Phase.READY && connections.isEmpty() && holds == 0) {
        phase = Phase.CLOSED;
        manager.remove(name, this);
        LOG.fine(() -> "evicted session of " + name);
      }
    });
  }

  private void cancelEviction() {
    if (evictionTimer != -1) {
      vertx.cancelTimer(evictionTimer);
      evictionTimer = -1;
    }
  }

  // ------------------------------------------------------------------------------- connections

  /**
   * Attaches a connection. Completes once the document is loaded and the connection receives every
   * later change; fails with {@link SessionClosedException} when this session was evicted meanwhile
   * (the manager retries with a fresh one) or with the load error. With {@code greet} the connection
   * first gets the server's SyncStep1 (y-websocket); every connection gets the current awareness.
   */
  Future<Void> join(SessionConnection conn, boolean greet) {
    Promise<Void> joined = Promise.promise();
    run(() -> {
      if (phase == Phase.CLOSED || phase == Phase.FAILED) {
        joined.fail(new SessionClosedException(name));
        return;
      }
      if (!connections.containsKey(conn)) {
        Guards.Refusal refusal = manager.guards().documentConnectionsRefusal(name, connections.size());
        if (refusal != null) {
          joined.fail(new CapacityException(refusal));
          return;
        }
      }
      cancelEviction();
      connections.put(conn, new LinkedHashSet<>());
      connectionCount = connections.size();
      ready().onComplete(ar -> {
        if (ar.failed()) {
          joined.fail(ar.cause());
          return;
        }
        if (!connections.containsKey(conn)) {
          joined.fail(new SessionClosedException(name));
          return;
        }
        Future<byte[]> sv = greet ? withState(0, false, DocumentState::stateVector) : Future.succeededFuture();
        sv.onComplete(svr -> {
          if (!connections.containsKey(conn)) {
            joined.fail(new SessionClosedException(name));
            return;
          }
          if (greet && svr.succeeded()) {
            conn.sendSyncStep1(svr.result());
          }
          if (!awareness.isEmpty()) {
            conn.sendAwareness(allAwareness());
          }
          joined.complete();
        });
      });
    });
    return joined.future();
  }

  /** Detaches a connection: its awareness client ids are removed and announced as removed. */
  public void leave(SessionConnection conn) {
    run(() -> detach(conn));
  }

  private boolean detach(SessionConnection conn) {
    Set<Long> introduced = connections.remove(conn);
    if (introduced == null) {
      return false;
    }
    connectionCount = connections.size();
    refused.remove(conn);
    List<AwarenessEntry> removed = new ArrayList<>();
    for (Long id : introduced) {
      AwarenessEntry cur = awareness.get(id);
      if (cur != null) {
        awareness.remove(id);
        removed.add(AwarenessEntry.removed(id, cur.clock() + 1));
        manager.store().removeAwareness(name, id)
            .onFailure(e -> LOG.log(Level.FINE, "awareness removal failed for " + name, e));
      }
    }
    if (!removed.isEmpty()) {
      AwarenessUpdate u = new AwarenessUpdate(removed);
      for (SessionConnection c : connections.keySet()) {
        c.sendAwareness(u);
      }
    }
    maybeScheduleEviction();
    return true;
  }

  // ------------------------------------------------------------------------------- sync

  /**
   * Answers a client's SyncStep1 with SyncStep2 (what it misses); with {@code answerWithStep1} the
   * server's own SyncStep1 follows (Hocuspocus), so the client sends what the server misses.
   */
  public void syncStep1(SessionConnection conn, byte[] stateVector, boolean answerWithStep1) {
    run(() -> ready().onSuccess(v -> {
      if (!connections.containsKey(conn)) {
        return;
      }
      withState(0, true, s -> new byte[][] {s.encodeStateAsUpdate(stateVector), answerWithStep1 ? s.stateVector() : null})
          .onComplete(ar -> {
            if (!connections.containsKey(conn)) {
              return;
            }
            if (ar.failed()) {
              reject(conn, ar.cause(), "bad state vector");
              return;
            }
            conn.sendSyncStep2(ar.result()[0]);
            if (answerWithStep1) {
              conn.sendSyncStep1(ar.result()[1]);
            }
          });
    }));
  }

  /**
   * A client's update (SyncStep2 or Update; REST updates take {@link #restUpdate}). The returned
   * future completes once the update is durable in Redis (or, when it brought nothing new, once
   * everything queued before it is); it fails with {@link BadUpdateException} when the update does
   * not decode (the connection is then closed with 1003 and nothing was applied).
   */
  public Future<Void> update(SessionConnection conn, byte[] update) {
    if (!conn.canWrite()) {
      // the endpoints drop these already; never apply or store an update of a read-only connection
      return Future.failedFuture(new IllegalStateException("read-only connection"));
    }
    Promise<Void> durable = Promise.promise();
    long received = System.nanoTime();
    String protocol = conn.protocol();
    durable.future().onSuccess(v -> metrics.acknowledged(protocol, System.nanoTime() - received));
    run(() -> ready().onComplete(r -> {
      if (r.failed()) {
        durable.fail(r.cause());
        return;
      }
      if (!connections.containsKey(conn)) {
        durable.fail(new SessionClosedException(name));
        return;
      }
      applyAndStore(conn, update, conn.id()).onComplete(durable);
    }));
    return durable.future();
  }

  private Future<Void> applyAndStore(SessionConnection from, byte[] update, String origin) {
    WriteBuffer buffer = manager.writeBuffer();
    Guards guards = manager.guards();
    return withState(update.length, false, s -> {
      checkSize(s, update, guards.maxDocumentSize());
      // Room first, apply second: a refused update leaves no trace in the document.
      if (!buffer.tryReserve(update.length)) {
        if (s.contains(update)) {
          return null; // nothing new (e.g. a resync): needs no room
        }
        throw new WriteBufferFullException("write buffer full (" + buffer.describe() + "), try again later");
      }
      byte[] news;
      long t0 = System.nanoTime();
      try {
        news = s.apply(update);
        metrics.updateApplied(System.nanoTime() - t0);
      } catch (MalformedDataException e) {
        buffer.release(update.length);
        throw new BadUpdateException("update does not decode: " + e.getMessage(), e);
      } catch (RuntimeException | Error e) {
        buffer.release(update.length);
        throw e;
      }
      if (news == null) {
        buffer.release(update.length);
      } else if (news.length != update.length) {
        // the room held is what will be stored: what the update brought, not the frame
        buffer.resize(update.length, news.length);
      }
      return news;
    }).transform(ar -> {
      if (ar.failed()) {
        Throwable cause = ar.cause();
        if (cause instanceof WriteBufferFullException) {
          refusedUpdate(from);
          return Future.failedFuture(cause);
        }
        if (cause instanceof DocumentTooLargeException) {
          guards.documentTooLarge();
          LOG.fine(() -> "refused an update of " + name + " from " + (from == null ? "REST" : from.id()) + ": "
              + cause.getMessage());
          return Future.failedFuture(cause);
        }
        if (from != null) {
          reject(from, cause, "bad update");
        }
        return Future.failedFuture(cause instanceof BadUpdateException ? cause
            : new BadUpdateException(String.valueOf(cause.getMessage()), cause));
      }
      byte[] news = ar.result();
      if (news == null) {
        return appendTail;
      }
      if (connections.size() > (from == null ? 0 : 1)) {
        Outgoing<byte[]> relay = new Outgoing<>(news); // encoded once per frame kind, shared by the receivers
        for (SessionConnection c : connections.keySet()) {
          if (c != from) {
            c.relayUpdate(relay);
          }
        }
      }
      return append(news, origin);
    });
  }


  /**
   * Refuses (before anything is applied) an update that could grow the document past
   * {@code guards.max-document-size}: the document's size plus what the update holds beyond the
   * document's state vector (the whole update when that is small enough to be sure). An update
   * that brings nothing new always passes.
   */
  private static void checkSize(DocumentState s, byte[] update, long max) {
    long size = s.sizeBytes();
    if (size + update.length <= max) {
      return;
    }
    try {
      byte[] beyond = Updates.diffUpdate(update, s.stateVector());
      if (size + beyond.length <= max || s.contains(update)) {
        return;
      }
    } catch (MalformedDataException e) {
      throw new BadUpdateException("update does not decode: " + e.getMessage(), e);
    }
    throw new DocumentTooLargeException("document size limit: " + size + " bytes plus this update would exceed"
        + " guards.max-document-size (" + max + " bytes); update refused");
  }

  /** Remembers a connection whose update was refused; once the buffer has room, it is asked to resync. */
  private void refusedUpdate(SessionConnection from) {
    LOG.fine(() -> "refused an update of " + name + " from " + (from == null ? "REST" : from.id()) + ": write buffer full");
    if (from == null || !connections.containsKey(from)) {
      return;
    }
    boolean first = refused.isEmpty();
    refused.add(from);
    if (first) {
      manager.writeBuffer().onRoom(context, this::resyncRefused);
    }
  }

  /** The server's SyncStep1 to every connection that had an update refused: it answers with what we lack. */
  private void resyncRefused() {
    if (refused.isEmpty() || phase != Phase.READY) {
      refused.clear();
      return;
    }
    List<SessionConnection> targets = new ArrayList<>(refused);
    refused.clear();
    withState(0, false, DocumentState::stateVector).onSuccess(sv -> {
      for (SessionConnection c : targets) {
        if (connections.containsKey(c)) {
          c.sendSyncStep1(sv);
        }
      }
    });
  }

  private void reject(SessionConnection conn, Throwable cause, String what) {
    if (!detach(conn)) {
      return;
    }
    LOG.fine(() -> "closing " + conn.id() + " on " + name + ": " + what + ": " + cause.getMessage());
    // the socket cuts the reason to what a close frame holds (SocketBase.truncate)
    conn.closeBySession(CloseCodes.UNSUPPORTED_DATA, what + ": " + cause.getMessage());
  }

  /**
   * Queues one update for Redis. Appends of a document go out in order, one script call at a time;
   * updates that arrive while a call is in flight are sent together in the next call (one round
   * trip for the batch, each update still its own log entry). Each update's future completes once
   * the call holding it succeeded.
   */
  private Future<Void> append(byte[] update, String connectionId) {
    Object token = manager.inflightAdd(name, update);
    Promise<Void> done = Promise.promise();
    appendQueue.add(new PendingAppend(update, connectionId, done));
    appendTail = done.future().otherwiseEmpty(); // batches complete in order: the last one completes last
    if (!appending) {
      sendBatch();
    }
    return done.future().andThen(ar -> {
      manager.inflightRemove(name, token);
      manager.writeBuffer().release(update.length);
    });
  }

  private record PendingAppend(byte[] update, String connectionId, Promise<Void> done) {}

  /** Takes the next batch off the queue and stores it; on the session's context. */
  private void sendBatch() {
    if (appendQueue.isEmpty()) {
      appending = false;
      return;
    }
    appending = true;
    List<PendingAppend> batch = new ArrayList<>(Math.min(appendQueue.size(), MAX_BATCH_UPDATES));
    long bytes = 0;
    while (!appendQueue.isEmpty() && batch.size() < MAX_BATCH_UPDATES
        && (batch.isEmpty() || bytes + appendQueue.peek().update().length <= MAX_BATCH_BYTES)) {
      PendingAppend p = appendQueue.poll();
      bytes += p.update().length;
      batch.add(p);
    }
    List<Buffer> updates = new ArrayList<>(batch.size());
    List<UpdateOrigin> origins = new ArrayList<>(batch.size());
    for (PendingAppend p : batch) {
      updates.add(Buffer.buffer(p.update()));
      origins.add(new UpdateOrigin(manager.nodeId(), p.connectionId()));
    }
    appendWithRetry(batch, updates, origins, 0);
  }

  private void appendWithRetry(List<PendingAppend> batch, List<Buffer> updates, List<UpdateOrigin> origins, int attempt) {
    long t0 = System.nanoTime();
    manager.store().appendAll(name, updates, origins).onComplete(ar -> {
      metrics.redisAppend(System.nanoTime() - t0, ar.succeeded());
      if (ar.succeeded()) {
        batchDone(batch, null);
        return;
      }
      if (manager.stopped()) {
        batchDone(batch, ar.cause());
        return;
      }
      RedisGuard guard = manager.guard();
      Future<Void> wait;
      if (guard != null && !guard.available()) {
        // degraded mode: wait for the breaker to close (the guard probes Redis), then go on in order
        wait = guard.whenAvailable(context);
      } else {
        boolean busy = SessionManager.poolBusy(ar.cause());
        if (!busy && (attempt == 0 || attempt % 10 == 0)) {
          LOG.log(Level.WARNING, "storing " + batch.size() + " update(s) of " + name + " failed (attempt "
              + (attempt + 1) + "); retrying: " + ar.cause().getMessage());
        }
        // the client's pool being full is no Redis failure: retry soon
        long delay = busy ? Math.min(200, 10L << Math.min(attempt, 4)) : Math.min(5000, 100L << Math.min(attempt, 6));
        Promise<Void> timer = Promise.promise();
        vertx.setTimer(delay, t -> timer.complete());
        wait = timer.future();
      }
      wait.onComplete(w -> {
        if (w.failed() || manager.stopped()) {
          batchDone(batch, ar.cause());
        } else {
          appendWithRetry(batch, updates, origins, attempt + 1);
        }
      });
    });
  }

  private void batchDone(List<PendingAppend> batch, Throwable failure) {
    for (PendingAppend p : batch) {
      if (failure == null) {
        p.done().complete();
      } else {
        p.done().fail(failure);
      }
    }
    sendBatch();
  }

  // ------------------------------------------------------------------------------- awareness

  /** A client's awareness update: kept, stored with the awareness TTL, relayed to the other connections. */
  public void awareness(SessionConnection conn, AwarenessUpdate update) {
    run(() -> ready().onSuccess(v -> {
      Set<Long> introduced = connections.get(conn);
      if (introduced == null) {
        return;
      }
      for (AwarenessEntry e : update.entries()) {
        AwarenessEntry cur = awareness.get(e.clientId());
        boolean removed = e.isRemoved();
        // y-protocols' rule: a newer clock wins; on equal clocks a removal wins
        boolean accept = cur == null ? !removed
            : e.clock() > cur.clock() || (e.clock() == cur.clock() && removed);
        if (!accept) {
          continue;
        }
        if (removed) {
          awareness.remove(e.clientId());
          introduced.remove(e.clientId());
          manager.store().removeAwareness(name, e.clientId())
              .onFailure(x -> LOG.log(Level.FINE, "awareness removal failed for " + name, x));
        } else {
          awareness.put(e.clientId(), e);
          introduced.add(e.clientId());
          manager.store().putAwareness(name, e.clientId(), Buffer.buffer(AwarenessCodec.encode(AwarenessUpdate.of(e))))
              .onFailure(x -> LOG.log(Level.FINE, "awareness store failed for " + name, x));
        }
      }
      if (connections.size() > 1) {
        Outgoing<AwarenessUpdate> relay = new Outgoing<>(update);
        for (SessionConnection c : connections.keySet()) {
          if (c != conn) {
            c.relayAwareness(relay);
          }
        }
      }
    }));
  }

  /** QueryAwareness: the connection gets every known state. */
  public void queryAwareness(SessionConnection conn) {
    run(() -> ready().onSuccess(v -> {
      if (connections.containsKey(conn)) {
        conn.sendAwareness(allAwareness());
      }
    }));
  }

  private AwarenessUpdate allAwareness() {
    return new AwarenessUpdate(new ArrayList<>(awareness.values()));
  }

  /** Hocuspocus Stateless: delivered to the document's other connections. */
  public void stateless(SessionConnection conn, String payload) {
    run(() -> ready().onSuccess(v -> {
      if (!connections.containsKey(conn)) {
        return;
      }
      for (SessionConnection c : connections.keySet()) {
        if (c != conn) {
          c.sendStateless(payload);
        }
      }
    }));
  }

  // ------------------------------------------------------------------------------- REST

  /** Runs a REST operation that needs the loaded state while holding off eviction. */
  <T> Future<T> held(Function<DocumentSession, Future<T>> op) {
    Promise<T> out = Promise.promise();
    run(() -> {
      if (phase == Phase.CLOSED || phase == Phase.FAILED) {
        out.fail(new SessionClosedException(name));
        return;
      }
      holds++;
      cancelEviction();
      ready().compose(v -> op.apply(this)).onComplete(ar -> {
        holds--;
        maybeScheduleEviction();
        out.handle(ar);
      });
    });
    return out.future();
  }

  /** On the context, loaded: whether the document is empty and the update for {@code sv} (null = all). */
  Future<byte[]> readUpdate(byte[] stateVector) {
    return withState(0, true, s -> s.isEmpty() ? null : s.encodeStateAsUpdate(stateVector));
  }

  /** On the context, loaded: apply an update from REST, relayed live, durable when the future completes. */
  Future<Void> restUpdate(byte[] update) {
    long received = System.nanoTime();
    return applyAndStore(null, update, "rest")
        .onSuccess(v -> metrics.acknowledged(Metrics.REST, System.nanoTime() - received));
  }

  /**
   * Deletes the document: closes every connection with {@link CloseCodes#DOCUMENT_DELETED}, drops
   * the session, then (after the appends already queued) deletes it from Redis.
   */
  Future<Boolean> delete() {
    Promise<Boolean> out = Promise.promise();
    run(() -> {
      boolean hadContent = phase == Phase.READY && state != null && !state.isEmpty();
      phase = Phase.CLOSED;
      cancelEviction();
      manager.remove(name, this);
      failWaiters(new SessionClosedException(name));
      closeAll(CloseCodes.DOCUMENT_DELETED, "document deleted");
      appendTail.transform(ignored -> manager.store().delete(name))
          .map(existed -> existed || hadContent)
          .onComplete(out);
    });
    return out.future();
  }

  /** Node stopping: closes every connection with 1001; completes once queued appends are done. */
  Future<Void> shutdown() {
    Promise<Void> out = Promise.promise();
    run(() -> {
      phase = Phase.CLOSED;
      cancelEviction();
      failWaiters(new SessionClosedException(name));
      closeAll(CloseCodes.GOING_AWAY, "server shutting down");
      appendTail.onComplete(ar -> out.complete());
    });
    return out.future();
  }

  /** Attached connections, as of the last change (any thread). */
  public int liveConnections() {
    return connectionCount;
  }

  /** For tests and metrics: number of attached connections (read on the context). */
  Future<Integer> connectionCount() {
    Promise<Integer> p = Promise.promise();
    run(() -> p.complete(connections.size()));
    return p.future();
  }
}
