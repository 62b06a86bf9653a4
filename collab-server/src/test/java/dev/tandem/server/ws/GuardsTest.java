package dev.tandem.server.ws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.crdt.protocol.SyncMessage;
import dev.tandem.crdt.protocol.hocuspocus.HocuspocusAuth;
import dev.tandem.crdt.protocol.hocuspocus.HocuspocusDecoder;
import dev.tandem.crdt.protocol.hocuspocus.HocuspocusFrame;
import dev.tandem.crdt.protocol.hocuspocus.HocuspocusMessage;
import dev.tandem.crdt.protocol.ywebsocket.YWebsocketCodec;
import dev.tandem.crdt.protocol.ywebsocket.YWebsocketMessage;
import dev.tandem.crdt.update.Updates;
import dev.tandem.server.TandemServer;
import dev.tandem.server.guard.Guards;
import dev.tandem.server.redis.EmbeddedRedis;
import dev.tandem.server.session.CloseCodes;
import dev.tandem.server.testing.LogCapture;
import dev.tandem.server.testing.RedisServerExtension;
import dev.tandem.server.testing.TestServers;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every session guard firing with its documented code or status, while the node's other sockets
 * and documents go on (docs/protocol.md, docs/architecture.md "Session guards"). Real server, real
 * Redis, raw clients: Vert.x websocket clients, and {@link RawWs} on a plain socket to read refused
 * upgrades and to stop reading at the TCP level.
 */
@ExtendWith(RedisServerExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GuardsTest {
  private static EmbeddedRedis redis;
  private static Vertx vertx;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private TandemServer server;
  private final List<AutoCloseable> toClose = new ArrayList<>();

  @BeforeAll
  static void setUp(EmbeddedRedis r) {
    redis = r;
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void tearDown() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void stopServer() throws Exception {
    for (AutoCloseable c : toClose) {
      c.close();
    }
    if (server != null) {
      server.stop();
    }
  }

  private TandemServer start(String... options) throws Exception {
    server = TestServers.start(redis, TestServers.freshPrefix(), 0, options);
    return server;
  }

  private Guards guards() {
    return server.guards();
  }

  // ------------------------------------------------------------------------------ helpers

  static byte[] insert(long client, String text) {
    return WriteBufferLimitTest.insert(client, text);
  }

  static byte[] update(byte[] u) {
    return YWebsocketCodec.encode(new YWebsocketMessage.Sync(new SyncMessage.Update(u)));
  }

  static byte[] hp(String key, HocuspocusMessage m) {
    return WebsocketProtocolTest.hp(key, m);
  }

  private WsClient ws(String doc) throws Exception {
    WsClient c = WsClient.connect(vertx, server.httpPort(), "/ws/" + doc);
    assertThat(c.next()).startsWith(0, 0); // the server's SyncStep1
    return c;
  }

  private WsClient hocuspocus() throws Exception {
    return WsClient.connect(vertx, server.httpPort(), "/hocuspocus");
  }

  /** Next document frame that is not awareness. */
  static HocuspocusFrame.Document nextHp(WsClient c) throws InterruptedException {
    while (true) {
      HocuspocusFrame f = HocuspocusDecoder.decodeFromServer(c.next());
      if (f instanceof HocuspocusFrame.Document d && !(d.message() instanceof HocuspocusMessage.Awareness)) {
        return d;
      }
    }
  }

  /** Auth + SyncStep1 for {@code doc}; expects Authenticated, SyncStep2 and the server's SyncStep1. */
  private void open(WsClient c, String doc) throws Exception {
    send(c, doc);
    HocuspocusFrame.Document auth = nextHp(c);
    assertThat(auth.documentKey()).isEqualTo(doc);
    assertThat(auth.message()).isInstanceOfSatisfying(HocuspocusMessage.Auth.class,
        a -> assertThat(a.auth()).isInstanceOf(HocuspocusAuth.Authenticated.class));
    assertThat(nextHp(c).message()).isInstanceOf(HocuspocusMessage.Sync.class);
    assertThat(nextHp(c).message()).isInstanceOf(HocuspocusMessage.Sync.class);
  }

  private static void send(WsClient c, String doc) {
    c.send(hp(doc, new HocuspocusMessage.Auth(new HocuspocusAuth.Token("t", "4.8.0"))));
    c.send(hp(doc, new HocuspocusMessage.Sync(new SyncMessage.Step1(new byte[] {0}))));
  }

  /** Auth for {@code doc} is accepted, then the document is refused with a Close message for its key only. */
  private String refusedKey(WsClient c, String doc) throws Exception {
    send(c, doc);
    HocuspocusFrame.Document auth = nextHp(c);
    assertThat(auth.documentKey()).isEqualTo(doc);
    assertThat(auth.message()).isInstanceOf(HocuspocusMessage.Auth.class);
    HocuspocusFrame.Document close = nextHp(c);
    assertThat(close.documentKey()).isEqualTo(doc);
    assertThat(close.message()).isInstanceOf(HocuspocusMessage.Close.class);
    return ((HocuspocusMessage.Close) close.message()).reason();
  }

  /**
   * A new socket whose only document is refused: Auth is accepted, then the whole socket is closed
   * with 1013 (so that the provider reconnects and retries). Returns the close reason.
   */
  private String refusedSocket(String doc) throws Exception {
    WsClient c = hocuspocus();
    send(c, doc);
    HocuspocusFrame.Document auth = nextHp(c);
    assertThat(auth.documentKey()).isEqualTo(doc);
    assertThat(auth.message()).isInstanceOf(HocuspocusMessage.Auth.class);
    assertThat(c.closeCode()).isEqualTo(CloseCodes.TRY_AGAIN_LATER);
    assertThat(c.received).isEmpty(); // no Close message: the socket close says it
    return c.closeReason();
  }

  private boolean syncStatus(WsClient c, String doc, byte[] u) throws Exception {
    c.send(hp(doc, new HocuspocusMessage.Sync(new SyncMessage.Update(u))));
    while (true) {
      HocuspocusFrame.Document d = nextHp(c);
      if (d.documentKey().equals(doc) && d.message() instanceof HocuspocusMessage.SyncStatus s) {
        return s.applied();
      }
    }
  }

  /** The upgrade is refused: HTTP 503, Retry-After, JSON error {@code code}. Returns the JSON. */
  private JsonObject refusedUpgrade(String path, String code) throws Exception {
    try (RawWs r = RawWs.open(server.httpPort(), path)) {
      assertThat(r.status).as(path).isEqualTo(503);
      assertThat(r.headers.get("retry-after")).isEqualTo(Long.toString(guards().retryAfterSeconds()));
      assertThat(r.headers.get("content-type")).startsWith("application/json");
      JsonObject body = new JsonObject(r.body);
      assertThat(body.getString("error")).isEqualTo(code);
      assertThat(body.getString("message")).isNotBlank();
      return body;
    }
  }

  private HttpResponse<String> rest(String method, String path, byte[] body) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body))
        .build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<byte[]> restBytes(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + path)).build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  /** {@code from}'s update reaches {@code to}: both sockets work. */
  private static void relays(WsClient from, WsClient to, long client) throws Exception {
    from.send(update(insert(client, "relay-" + client)));
    byte[] got = to.nextStartingWith((byte) 0, (byte) 2);
    assertThat(new String(got, java.nio.charset.StandardCharsets.UTF_8)).contains("relay-" + client);
    assertThat(from.closed).isNotDone();
    assertThat(to.closed).isNotDone();
  }

  static void await(String what, BooleanSupplier cond, long ms) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ms);
    while (!cond.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(10);
    }
  }

  /** The clients of a Yjs update's state vector (which clients' inserts a stored document holds). */
  private Map<Long, Long> storedStateVector(String doc) throws Exception {
    HttpResponse<byte[]> r = restBytes("/api/documents/" + doc + "/update");
    assertThat(r.statusCode()).isEqualTo(200);
    return Updates.decodeStateVector(Updates.encodeStateVectorFromUpdate(r.body()));
  }

  // ------------------------------------------------------------------------------ per node

  @Test
  void connectionsPerNode() throws Exception {
    start("--guards.max-connections=3", "--guards.retry-after=7s");
    WsClient a = ws("node-a");
    WsClient b = ws("node-a");
    WsClient h = hocuspocus();
    open(h, "node-b");
    assertThat(guards().connections()).isEqualTo(3);

    JsonObject body = refusedUpgrade("/ws/node-a", Guards.TOO_MANY_CONNECTIONS);
    assertThat(body.getString("message")).contains("guards.max-connections=3");
    assertThat(guards().retryAfterSeconds()).isEqualTo(7);
    refusedUpgrade("/hocuspocus", Guards.TOO_MANY_CONNECTIONS);
    assertThat(guards().refusals(Guards.TOO_MANY_CONNECTIONS)).isEqualTo(2);

    relays(a, b, 11); // the admitted sockets are unaffected
    assertThat(syncStatus(h, "node-b", insert(12, "hp"))).isTrue();

    a.ws.close();
    await("slot released", () -> guards().connections() == 2, 5000);
    WsClient c = ws("node-a"); // room again
    relays(c, b, 13);
  }

  @Test
  void loadedDocumentsPerNode() throws Exception {
    start("--guards.max-documents=2");
    WsClient a = ws("docs-1");
    WsClient b = ws("docs-2");
    assertThat(server.sessions().openSessions()).isEqualTo(2);

    refusedUpgrade("/ws/docs-3", Guards.TOO_MANY_DOCUMENTS);
    WsClient a2 = ws("docs-1"); // a loaded document takes new clients
    relays(a, a2, 21);

    assertThat(refusedSocket("docs-3")).contains("document limit");
    WsClient h = hocuspocus();
    open(h, "docs-2");
    assertThat(refusedKey(h, "docs-3")).contains("document limit"); // not alone: only the key is closed
    assertThat(syncStatus(h, "docs-2", insert(22, "x"))).isTrue(); // the socket's other document works
    assertThat(b.nextStartingWith((byte) 0, (byte) 2)).isNotEmpty();

    HttpResponse<String> r = rest("GET", "/api/documents/docs-3/update", null);
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.headers().firstValue("retry-after")).contains("5");
    assertThat(new JsonObject(r.body()).getString("error")).isEqualTo(Guards.TOO_MANY_DOCUMENTS);
    assertThat(rest("GET", "/api/documents/docs-1/update", null).statusCode()).isEqualTo(200);
    assertThat(server.sessions().openSessions()).isEqualTo(2);
    assertThat(h.closed).isNotDone();
  }

  @Test
  void heapAndLagGuardsRefuseNewSocketsAndDocuments() throws Exception {
    start();
    WsClient a = ws("press-1");
    WsClient h = hocuspocus();
    open(h, "press-1");
    for (String guard : List.of(Guards.HEAP_PRESSURE, Guards.EVENT_LOOP_LAG)) {
      if (guard.equals(Guards.HEAP_PRESSURE)) {
        guards().simulateHeapUsed(0.95); // over the default 90%
      } else {
        guards().simulateEventLoopLag(Duration.ofMinutes(3)); // over the default 1s
      }
      assertThat(guards().pressure().code()).isEqualTo(guard);
      refusedUpgrade("/ws/press-1", guard); // new sockets, even for a loaded document
      refusedUpgrade("/hocuspocus", guard);
      assertThat(refusedKey(h, "press-new")).contains(guard.equals(Guards.HEAP_PRESSURE) ? "heap" : "event loop");
      assertThat(h.closed).isNotDone(); // press-1 is still open on it
      HttpResponse<String> r = rest("GET", "/api/documents/press-new/update", null);
      assertThat(r.statusCode()).isEqualTo(503);
      assertThat(r.headers().firstValue("retry-after")).isPresent();
      assertThat(new JsonObject(r.body()).getString("error")).isEqualTo(guard);
      // what is open goes on: editing, and a loaded document on an existing socket
      a.send(update(insert(guard.length(), "still editing")));
      HocuspocusFrame.Document d = nextHp(h);
      assertThat(d.message()).isInstanceOf(HocuspocusMessage.Sync.class);
      assertThat(h.closed).isNotDone();
      assertThat(a.closed).isNotDone();
      guards().simulateHeapUsed(null);
      guards().simulateEventLoopLag(null);
      assertThat(guards().pressure()).isNull();
      WsClient again = ws("press-1");
      again.ws.close();
    }
    open(h, "press-new");
  }

  /**
   * Real sustained lag: one event loop is kept busy by blocks of 400 ms, one timer after the other,
   * so every probe on it runs about 400 ms late (the limit is 200 ms): the smoothed lag climbs past
   * the limit and new sockets are refused, until the loop is free again. Timers, not a
   * {@code runOnContext} chain: Netty runs queued tasks in batches before it reads the network, so a
   * chain of tasks that queue each other would also starve the upgrade this test sends. (That a
   * single late probe does not trip the guard is {@code LagAverageTest}'s job: asserting it here
   * would depend on the machine's own hiccups.)
   */
  @Test
  void sustainedLagOnARealEventLoopTripsTheGuard() throws Exception {
    start("--guards.max-event-loop-lag=200ms", "--guards.lag-probe-interval=20ms");
    await("probes running", () -> guards().eventLoopLag().toMillis() < 100, 5000);
    AtomicBoolean busy = new AtomicBoolean(true);
    Context loop = server.vertx().getOrCreateContext();
    Runnable[] hog = new Runnable[1];
    hog[0] = () -> {
      if (!busy.get()) {
        return;
      }
      try {
        Thread.sleep(400); // blocks the event loop (deliberately)
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      server.vertx().setTimer(1, t -> hog[0].run()); // on this context: the next block, after I/O
    };
    loop.runOnContext(v -> hog[0].run());
    try {
      await("sustained lag trips the guard", () -> guards().pressure() != null, 15_000);
      assertThat(guards().pressure().code()).isEqualTo(Guards.EVENT_LOOP_LAG);
      assertThat(guards().eventLoopLag()).isGreaterThan(Duration.ofMillis(200));
      refusedUpgrade("/ws/lagging", Guards.EVENT_LOOP_LAG);
      assertThat(guards().pressure()).as("still lagging").isNotNull();
    } finally {
      busy.set(false);
    }
    await("lag gone", () -> guards().pressure() == null, 10_000);
  }

  @Test
  void capacityMonitorWarnsAt75Percent() throws Exception {
    start("--guards.max-connections=4", "--guards.monitor-interval=50ms");
    LogCapture handler = new LogCapture();
    Logger log = Logger.getLogger(Guards.class.getName());
    log.addHandler(handler);
    try {
      WsClient a = ws("cap");
      WsClient b = ws("cap");
      Thread.sleep(200);
      assertThat(guards().capacityWarning()).isFalse(); // 50%
      assertThat(guards().usage().get("connections")).isEqualTo(0.5);
      WsClient c = ws("cap");
      await("capacity warning", () -> guards().capacityWarning(), 5000);
      assertThat(guards().usage().get("connections")).isEqualTo(0.75);
      assertThat(handler.records()).anySatisfy(r -> {
        assertThat(r.getLevel()).isEqualTo(Level.WARNING);
        assertThat(r.getMessage()).contains("capacity warning").contains("connections 75%");
      });
      assertThat(guards().refusals()).isEmpty(); // a warning, not a refusal
      relays(a, c, 31);
      b.ws.close();
      c.ws.close();
      await("warning cleared", () -> !guards().capacityWarning(), 5000);
    } finally {
      log.removeHandler(handler);
    }
  }

  // ------------------------------------------------------------------------------ per document

  @Test
  void connectionsPerDocument() throws Exception {
    start("--guards.max-connections-per-document=2");
    WsClient a = ws("per-doc");
    WsClient b = ws("per-doc");
    refusedUpgrade("/ws/per-doc", Guards.TOO_MANY_DOCUMENT_CONNECTIONS);
    WsClient other = ws("per-doc-other"); // another document is unaffected

    assertThat(refusedSocket("per-doc")).contains("connection limit");
    WsClient h = hocuspocus();
    open(h, "per-doc-other");
    assertThat(refusedKey(h, "per-doc")).contains("connection limit"); // not alone: only the key is closed
    assertThat(syncStatus(h, "per-doc-other", insert(41, "x"))).isTrue(); // the socket's other document works
    assertThat(other.nextStartingWith((byte) 0, (byte) 2)).isNotEmpty();
    relays(a, b, 42);

    b.ws.close();
    await("connection left", () -> server.sessions().existing("per-doc").liveConnections() == 1, 5000);
    open(h, "per-doc"); // room again
    assertThat(h.closed).isNotDone();
  }

  @Test
  void documentSize() throws Exception {
    start("--guards.max-document-size=10KiB");
    WsClient y = ws("big");
    WsClient other = ws("small");
    WsClient h = hocuspocus();
    open(h, "big");
    byte[] u1 = insert(51, "a".repeat(4000));
    byte[] u2 = insert(52, "b".repeat(4000));
    byte[] u3 = insert(53, "c".repeat(4000));
    assertThat(syncStatus(h, "big", u1)).isTrue();
    assertThat(syncStatus(h, "big", u2)).isTrue();
    y.nextStartingWith((byte) 0, (byte) 2);
    y.nextStartingWith((byte) 0, (byte) 2);
    // Hocuspocus: SyncStatus(false), nothing applied or relayed, the socket stays
    assertThat(syncStatus(h, "big", u3)).isFalse();
    assertThat(syncStatus(h, "big", u1)).isTrue(); // nothing new: always accepted
    // REST: 413 JSON
    HttpResponse<String> r = rest("POST", "/api/documents/big/update", insert(54, "d".repeat(4000)));
    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(new JsonObject(r.body()).getString("error")).isEqualTo(Guards.DOCUMENT_TOO_LARGE);
    // y-websocket: close 4413
    y.send(update(insert(55, "e".repeat(4000))));
    assertThat(y.closeCode()).isEqualTo(CloseCodes.DOCUMENT_TOO_LARGE);
    assertThat(y.closeReason()).contains("guards.max-document-size");

    assertThat(storedStateVector("big")).containsOnlyKeys(51L, 52L);
    assertThat(guards().refusals(Guards.DOCUMENT_TOO_LARGE)).isEqualTo(3);
    // other documents and the Hocuspocus socket go on
    other.send(update(insert(56, "f".repeat(4000))));
    await("small stored", () -> {
      try {
        return rest("GET", "/api/documents/small/update", null).statusCode() == 200;
      } catch (Exception e) {
        return false;
      }
    }, 5000);
    assertThat(syncStatus(h, "big", insert(57, "tiny"))).isTrue();
    assertThat(h.closed).isNotDone();
  }

  // ------------------------------------------------------------------------------ per connection

  @Test
  void messageSize() throws Exception {
    start("--ws.max-message-size=1KiB");
    WsClient a = ws("size");
    WsClient b = ws("size");
    a.send(update(insert(61, "x".repeat(1500))));
    assertThat(a.closeCode()).isEqualTo(CloseCodes.MESSAGE_TOO_BIG);
    WsClient c = ws("size");
    relays(b, c, 62);
  }

  @Test
  void messageRate() throws Exception {
    start("--guards.message-rate=5", "--guards.message-burst=10");
    WsClient a = ws("rate");
    WsClient b = ws("rate");
    for (int i = 0; i < 8; i++) {
      b.send(new byte[] {1, 1, 0}); // empty awareness, within the burst
    }
    for (int i = 0; i < 30; i++) {
      a.send(new byte[] {1, 1, 0});
    }
    assertThat(a.closeCode()).isEqualTo(CloseCodes.RATE_LIMITED);
    assertThat(a.closeReason()).contains("guards.message-rate");
    WsClient c = ws("rate");
    relays(b, c, 71);
    assertThat(guards().refusals(Guards.RATE_LIMITED)).isEqualTo(1);
  }

  @Test
  void byteRate() throws Exception {
    start("--guards.byte-rate=2KiB", "--guards.byte-burst=8KiB");
    WsClient a = ws("bytes");
    WsClient b = ws("bytes");
    a.send(update(insert(81, "x".repeat(3000))));
    a.send(update(insert(82, "y".repeat(3000))));
    a.send(update(insert(83, "z".repeat(3000))));
    assertThat(a.closeCode()).isEqualTo(CloseCodes.RATE_LIMITED);
    assertThat(a.closeReason()).contains("guards.byte-rate");
    relays(b, ws("bytes"), 84);
    await("stored", () -> {
      try {
        return storedStateVector("bytes").containsKey(84L);
      } catch (Exception e) {
        return false;
      }
    }, 5000);
    assertThat(storedStateVector("bytes")).doesNotContainKey(83L); // the refused message was not handled
  }

  @Test
  void slowConsumerIsDisconnected() throws Exception {
    start("--guards.outbound-queue=256KiB");
    // a client that stops reading at the TCP level, with a small receive window
    RawWs slow = RawWs.open(server.httpPort(), "/ws/slow", 4096);
    toClose.add(slow);
    assertThat(slow.status).isEqualTo(101);
    WsClient fast = ws("slow");
    WsClient writer = ws("slow");
    await("three connections", () -> server.sessions().existing("slow").liveConnections() == 3, 5000);
    String chunk = "x".repeat(64 * 1024);
    int sent = 0;
    while (guards().refusals(Guards.SLOW_CONSUMER) == 0) {
      assertThat(sent).as("updates relayed before the slow consumer was cut off").isLessThan(400);
      for (int i = 0; i < 8; i++) {
        writer.send(update(insert(1000 + sent++, chunk)));
      }
      for (int i = 0; i < 8; i++) {
        fast.nextStartingWith((byte) 0, (byte) 2); // the fast reader keeps up, batch by batch
      }
    }
    await("slow consumer detached", () -> server.sessions().existing("slow").liveConnections() == 2, 5000);
    relays(writer, fast, 5);
    assertThat(guards().refusals(Guards.SLOW_CONSUMER)).isEqualTo(1);
    // once it reads again, the slow client finds the close frame behind what was queued
    RawWs.Frame close = slow.readUntilClose();
    assertThat(close.closeCode()).isEqualTo(CloseCodes.SLOW_CONSUMER);
    assertThat(close.closeReason()).contains("slow consumer");
  }
}
