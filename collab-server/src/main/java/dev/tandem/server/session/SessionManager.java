package dev.tandem.server.session;

import dev.tandem.server.DocumentNames;
import dev.tandem.server.guard.CapacityException;
import dev.tandem.server.guard.Guards;
import dev.tandem.server.store.RedisDocumentStore;
import dev.tandem.server.store.RedisGuard;
import dev.tandem.server.store.StoredDocument;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.core.internal.VertxInternal;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The document sessions of this node: at most one {@link DocumentSession} per document, created on
 * first use, each pinned to one of a fixed set of event-loop contexts, one per event loop (chosen by
 * the document name's hash, so sessions spread over the event loops while socket I/O stays on the
 * loop of the HTTP server instance that accepted the socket). Thread-safe.
 */
public final class SessionManager {
  /** Builds a document's state from its stored updates (snapshot first, then the log in order). */
  public interface StateFactory extends BiFunction<String, List<byte[]>, DocumentState> {}

  private final Vertx vertx;
  private final RedisDocumentStore store;
  private final RedisGuard guard;
  private final WriteBuffer writeBuffer;
  private final String nodeId;
  private final Duration evictionGrace;
  private final long offloadBytes;
  private final StateFactory stateFactory;
  private final List<Context> contexts;
  private final Map<String, DocumentSession> sessions = new ConcurrentHashMap<>();
  /** Updates whose Redis append has not succeeded yet, per document (identity tokens -> bytes). */
  private final Map<String, Map<Object, byte[]>> inflight = new ConcurrentHashMap<>();
  private volatile boolean stopped;
  private final int maxConcurrentLoads;
  /** Loads waiting for a slot (guarded by itself), and the loads running. */
  private final ArrayDeque<Runnable> loadQueue = new ArrayDeque<>();
  private int loadsRunning;
  private volatile Guards guards = Guards.unlimited();

  /**
   * @param contexts the event-loop contexts sessions are spread over (by document name hash); see
   *     {@link #eventLoopContexts}
   * @param maxConcurrentLoads how many documents may load from Redis at once; more wait in line
   */
  public SessionManager(Vertx vertx, RedisDocumentStore store, RedisGuard guard, WriteBuffer writeBuffer,
      String nodeId, Duration evictionGrace, long offloadBytes, StateFactory stateFactory, List<Context> contexts,
      int maxConcurrentLoads) {
    this.vertx = Objects.requireNonNull(vertx);
    this.store = Objects.requireNonNull(store);
    this.guard = guard;
    this.writeBuffer = Objects.requireNonNull(writeBuffer);
    this.nodeId = Objects.requireNonNull(nodeId);
    this.evictionGrace = Objects.requireNonNull(evictionGrace);
    this.offloadBytes = offloadBytes;
    this.stateFactory = Objects.requireNonNull(stateFactory);
    if (contexts.isEmpty()) {
      throw new IllegalArgumentException("at least one context");
    }
    this.contexts = List.copyOf(contexts);
    this.maxConcurrentLoads = Math.max(1, maxConcurrentLoads);
  }

  /**
   * One event-loop context per event loop of {@code vertx}, each on its own loop thread, so that
   * sessions spread over every loop. ({@code Vertx.getOrCreateContext()} cannot do this: from a
   * non-Vert.x thread it returns the same sticky context every time, which put every session of a
   * node on one thread.)
   */
  public static List<Context> eventLoopContexts(Vertx vertx) {
    VertxInternal vi = (VertxInternal) vertx;
    List<Context> out = new ArrayList<>();
    for (EventExecutor loop : vi.nettyEventLoopGroup()) {
      out.add(vi.contextBuilder().withEventLoop((EventLoop) loop).build());
    }
    return out;
  }

  /** The contexts sessions are spread over. */
  public List<Context> contexts() {
    return contexts;
  }

  /**
   * The node's guards: new documents take a slot ({@code guards.max-documents}, heap and lag
   * guards), sessions enforce connections per document and the document size; the capacity monitor
   * reads the sessions' load. Set once at start, before any session opens.
   */
  public void guards(Guards g) {
    this.guards = g;
    g.load(new Guards.Load() {
      @Override
      public int loadedDocuments() {
        return sessions.size();
      }

      @Override
      public int maxDocumentConnections() {
        int max = 0;
        for (DocumentSession s : sessions.values()) {
          max = Math.max(max, s.liveConnections());
        }
        return max;
      }

      @Override
      public double writeBufferUse() {
        return Math.max(writeBuffer.updates() / (double) writeBuffer.maxUpdates(),
            writeBuffer.bytes() / (double) writeBuffer.maxBytes());
      }
    });
  }

  public Guards guards() {
    return guards;
  }

  /** The state: a crdt {@code Doc} per document ({@link DocState}). */
  public static StateFactory docStates() {
    return DocState::load;
  }

  Vertx vertx() {
    return vertx;
  }

  public RedisDocumentStore store() {
    return store;
  }

  /** The Redis circuit breaker (null when the store is used without one). */
  public RedisGuard guard() {
    return guard;
  }

  /** Updates applied but not yet stored in Redis, node-wide, bounded. */
  public WriteBuffer writeBuffer() {
    return writeBuffer;
  }

  String nodeId() {
    return nodeId;
  }

  Duration evictionGrace() {
    return evictionGrace;
  }

  long offloadBytes() {
    return offloadBytes;
  }

  StateFactory stateFactory() {
    return stateFactory;
  }

  boolean stopped() {
    return stopped;
  }

  /** The document's session, opened if needed; throws {@link CapacityException} when a guard refuses a new one. */
  private DocumentSession session(String document) {
    DocumentNames.validate(document);
    DocumentSession existing = sessions.get(document);
    if (existing != null) {
      return existing;
    }
    return sessions.computeIfAbsent(document, d -> {
      Guards.Refusal r = guards.tryAcquireDocument();
      if (r != null) {
        throw new CapacityException(r);
      }
      return new DocumentSession(d, this, contexts.get(Math.floorMod(d.hashCode(), contexts.size())));
    });
  }

  void remove(String document, DocumentSession s) {
    if (sessions.remove(document, s)) {
      guards.releaseDocument();
    }
  }

  /** The open session of a document, or null. */
  public DocumentSession existing(String document) {
    return sessions.get(document);
  }

  public int openSessions() {
    return sessions.size();
  }

  /**
   * Attaches a connection to the document's session (opening and loading it if needed). Completes
   * with the session once the document is loaded (see {@link DocumentSession#join}).
   */
  public Future<DocumentSession> join(String document, SessionConnection conn, boolean greet) {
    return onSession(document, s -> s.join(conn, greet).map(s));
  }

  /** Runs a REST operation on the document's loaded session (opening it if needed), holding off eviction. */
  public <T> Future<T> withSession(String document, Function<DocumentSession, Future<T>> op) {
    return onSession(document, s -> s.held(op));
  }

  /**
   * Runs {@code op} on the document's session (opened if needed); when that session closed under it
   * (evicted or deleted meanwhile), runs it again on a new one, unless the node is stopping.
   */
  private <T> Future<T> onSession(String document, Function<DocumentSession, Future<T>> op) {
    if (stopped) {
      return Future.failedFuture(new IllegalStateException("node is stopping"));
    }
    DocumentSession s;
    try {
      s = session(document);
    } catch (CapacityException e) {
      return Future.failedFuture(e);
    }
    return op.apply(s).recover(e -> e instanceof SessionClosedException && !stopped
        ? onSession(document, op)
        : Future.failedFuture(e));
  }

  /** The current update (diff against {@code stateVector}, null = whole) of a document; null when it is empty/unknown. */
  public Future<byte[]> readUpdate(String document, byte[] stateVector) {
    return withSession(document, s -> s.readUpdate(stateVector));
  }

  /** Applies an update (validated inside; fails with {@link BadUpdateException}); completes once durable. */
  public Future<Void> applyUpdate(String document, byte[] update) {
    return withSession(document, s -> s.restUpdate(update));
  }

  /** Deletes a document: connected clients are closed with 4410, then Redis keys go. Completes with whether it existed. */
  public Future<Boolean> delete(String document) {
    DocumentNames.validate(document);
    DocumentSession s = sessions.get(document);
    if (s == null) {
      return store.delete(document);
    }
    return s.delete();
  }

  /**
   * Loads a document from Redis for a session on {@code context}: at most {@code maxConcurrentLoads}
   * loads run at once (node-wide, FIFO), so a burst of documents opening at once neither fails on
   * the Redis client's pool nor starves the appends; a load that finds the pool full is retried.
   * Completes on {@code context}.
   */
  Future<StoredDocument> load(String document, Context context) {
    Promise<StoredDocument> out = Promise.promise();
    Runnable start = () -> context.runOnContext(v -> loadAttempt(document, context, 0, out));
    boolean now;
    synchronized (loadQueue) {
      now = loadsRunning < maxConcurrentLoads;
      if (now) {
        loadsRunning++;
      } else {
        loadQueue.add(start);
      }
    }
    if (now) {
      start.run();
    }
    return out.future();
  }

  private void loadAttempt(String document, Context context, int attempt, Promise<StoredDocument> out) {
    store.load(document).onComplete(ar -> {
      if (ar.failed() && poolBusy(ar.cause()) && !stopped && attempt < 1000) {
        vertx.setTimer(Math.min(200, 10L << Math.min(attempt, 4)), t -> loadAttempt(document, context, attempt + 1, out));
        return;
      }
      Runnable next;
      synchronized (loadQueue) {
        next = loadQueue.poll();
        if (next == null) {
          loadsRunning--;
        }
      }
      if (next != null) {
        next.run();
      }
      out.handle(ar);
    });
  }

  /** Loads running now (for tests). */
  int loadsRunning() {
    synchronized (loadQueue) {
      return loadsRunning;
    }
  }

  /**
   * Whether a Redis command failed only because the client's connection pool and its waiting line
   * were full ({@code redis.pool.size}, {@code redis.pool.waiting}): Redis itself is fine, retry.
   */
  public static boolean poolBusy(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof ConnectionPoolTooBusyException) {
        return true;
      }
    }
    return false;
  }

  Object inflightAdd(String document, byte[] update) {
    Object token = new Object();
    inflight.computeIfAbsent(document, d -> new ConcurrentHashMap<>()).put(token, update);
    return token;
  }

  void inflightRemove(String document, Object token) {
    inflight.computeIfPresent(document, (d, m) -> {
      m.remove(token);
      return m.isEmpty() ? null : m;
    });
  }

  List<byte[]> inflight(String document) {
    Map<Object, byte[]> m = inflight.get(document);
    return m == null ? List.of() : new ArrayList<>(m.values());
  }

  /**
   * Node stopping: no new sessions; every session closes its connections (1001) and the queued
   * appends are given until {@code timeout} to finish. Blocking; not on an event loop.
   */
  public void stop(Duration timeout) {
    stopped = true;
    // appends waiting for the breaker to close give up at the timeout below (never acknowledged)
    List<Future<Void>> all = new ArrayList<>();
    for (DocumentSession s : Set.copyOf(sessions.values())) {
      all.add(s.shutdown());
    }
    sessions.clear();
    try {
      Future.all(all).await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      // best effort: whatever was not stored was never acknowledged
    }
  }
}
