package dev.tandem.server.session;

import dev.tandem.server.DocumentNames;
import dev.tandem.server.store.RedisDocumentStore;
import dev.tandem.server.store.RedisGuard;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
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
 * first use, each pinned to one of a fixed set of event-loop contexts (chosen by the document name's
 * hash, so sessions spread over the event loops while socket I/O stays on the HTTP server's loops).
 * Thread-safe.
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

  /**
   * Must be called from a non-Vert.x thread (startup) to get one context per event loop; from an
   * event loop, all sessions share that loop's context.
   */
  public SessionManager(Vertx vertx, RedisDocumentStore store, RedisGuard guard, WriteBuffer writeBuffer,
      String nodeId, Duration evictionGrace, long offloadBytes, StateFactory stateFactory, int contextCount) {
    this.vertx = Objects.requireNonNull(vertx);
    this.store = Objects.requireNonNull(store);
    this.guard = guard;
    this.writeBuffer = Objects.requireNonNull(writeBuffer);
    this.nodeId = Objects.requireNonNull(nodeId);
    this.evictionGrace = Objects.requireNonNull(evictionGrace);
    this.offloadBytes = offloadBytes;
    this.stateFactory = Objects.requireNonNull(stateFactory);
    List<Context> cs = new ArrayList<>();
    for (int i = 0; i < Math.max(1, contextCount); i++) {
      Context c = vertx.getOrCreateContext();
      if (!cs.contains(c)) {
        cs.add(c);
      }
    }
    this.contexts = List.copyOf(cs);
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

  private DocumentSession session(String document) {
    DocumentNames.validate(document);
    return sessions.computeIfAbsent(document,
        d -> new DocumentSession(d, this, contexts.get(Math.floorMod(d.hashCode(), contexts.size()))));
  }

  void remove(String document, DocumentSession s) {
    sessions.remove(document, s);
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
    if (stopped) {
      return Future.failedFuture(new IllegalStateException("node is stopping"));
    }
    DocumentSession s = session(document);
    return s.join(conn, greet).transform(ar -> {
      if (ar.succeeded()) {
        return Future.succeededFuture(s);
      }
      if (ar.cause() instanceof SessionClosedException && !stopped) {
        return join(document, conn, greet);
      }
      return Future.failedFuture(ar.cause());
    });
  }

  /** Runs a REST operation on the document's loaded session (opening it if needed), holding off eviction. */
  public <T> Future<T> withSession(String document, Function<DocumentSession, Future<T>> op) {
    if (stopped) {
      return Future.failedFuture(new IllegalStateException("node is stopping"));
    }
    DocumentSession s = session(document);
    return s.held(op).transform(ar -> {
      if (ar.failed() && ar.cause() instanceof SessionClosedException && !stopped) {
        return withSession(document, op);
      }
      return ar.succeeded() ? Future.succeededFuture(ar.result()) : Future.failedFuture(ar.cause());
    });
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
