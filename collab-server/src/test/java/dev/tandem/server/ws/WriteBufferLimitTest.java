package dev.tandem.server.ws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.crdt.lib0.Lib0Encoder;
import dev.tandem.crdt.protocol.AwarenessEntry;
import dev.tandem.crdt.protocol.AwarenessUpdate;
import dev.tandem.crdt.protocol.SyncMessage;
import dev.tandem.crdt.protocol.hocuspocus.HocuspocusAuth;
import dev.tandem.crdt.protocol.hocuspocus.HocuspocusDecoder;
import dev.tandem.crdt.protocol.hocuspocus.HocuspocusFrame;
import dev.tandem.crdt.protocol.hocuspocus.HocuspocusMessage;
import dev.tandem.crdt.protocol.ywebsocket.YWebsocketCodec;
import dev.tandem.crdt.protocol.ywebsocket.YWebsocketMessage;
import dev.tandem.crdt.update.Updates;
import dev.tandem.server.TandemServer;
import dev.tandem.server.config.FsyncPolicy;
import dev.tandem.server.redis.EmbeddedRedis;
import dev.tandem.server.session.CloseCodes;
import dev.tandem.server.testing.RedisServerExtension;
import dev.tandem.server.testing.TestServers;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The bounded write buffer while Redis is slow (the process is stopped with SIGSTOP, so commands hang
 * until the breaker's timeout): updates are buffered up to {@code write-buffer.max-updates}, then
 * refused with the documented signal per protocol (Hocuspocus SyncStatus(false), y-websocket close
 * 1013, REST 503 + Retry-After), nothing of a refused update is applied or relayed, other sockets
 * stay up; when Redis resumes, the buffer drains, the held acknowledgements arrive, the refused
 * Hocuspocus client is asked to resync and its update is stored. Redis then holds exactly the
 * accepted updates.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WriteBufferLimitTest {
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private Path dir;
  private EmbeddedRedis redis;
  private TandemServer server;
  private Vertx vertx;
  private boolean paused;

  @AfterEach
  void cleanUp() throws Exception {
    if (paused) {
      signal("CONT");
    }
    if (server != null) {
      server.stop();
    }
    if (redis != null) {
      redis.stop();
    }
    if (vertx != null) {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
    if (dir != null) {
      RedisServerExtension.deleteTree(dir);
    }
  }

  private void signal(String sig) throws Exception {
    Process p = new ProcessBuilder("kill", "-" + sig, Long.toString(redis.pid())).inheritIO().start();
    assertThat(p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0).as("kill -" + sig).isTrue();
    paused = sig.equals("STOP");
  }

  /** A Yjs v1 update: client {@code client} inserts {@code text} at the start of Y.Text "text". */
  static byte[] insert(long client, String text) {
    return new Lib0Encoder().writeVarUint(1).writeVarUint(1).writeVarUint(client).writeVarUint(0)
        .writeUint8(4).writeVarUint(1).writeVarString("text").writeVarString(text).writeVarUint(0).toByteArray();
  }

  static byte[] hp(String key, HocuspocusMessage m) {
    return WebsocketProtocolTest.hp(key, m);
  }

  static byte[] yws(YWebsocketMessage m) {
    return YWebsocketCodec.encode(m);
  }

  /** Next Hocuspocus document frame that is not awareness. */
  static HocuspocusMessage nextHp(WsClient c) throws InterruptedException {
    while (true) {
      HocuspocusFrame f = HocuspocusDecoder.decodeFromServer(c.next());
      if (f instanceof HocuspocusFrame.Document d && !(d.message() instanceof HocuspocusMessage.Awareness)) {
        return d.message();
      }
    }
  }

  /** Nothing but pings/awareness arrives within {@code ms}. */
  static void quiet(WsClient c, long ms) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ms);
    while (System.nanoTime() < end) {
      byte[] b = c.received.poll(50, TimeUnit.MILLISECONDS);
      if (b != null && b.length > 1 && !(b.length > 1 && isHpAwarenessOrPing(b))) {
        throw new AssertionError("unexpected message " + java.util.HexFormat.of().formatHex(b));
      }
    }
  }

  private static boolean isHpAwarenessOrPing(byte[] b) {
    HocuspocusFrame f = HocuspocusDecoder.decodeFromServer(b);
    return !(f instanceof HocuspocusFrame.Document d) || d.message() instanceof HocuspocusMessage.Awareness;
  }

  private WsClient hocuspocus(String doc) throws Exception {
    WsClient c = WsClient.connect(vertx, server.httpPort(), "/hocuspocus");
    c.send(hp(doc, new HocuspocusMessage.Auth(new HocuspocusAuth.Token("t", "4.8.0"))));
    c.send(hp(doc, new HocuspocusMessage.Sync(new SyncMessage.Step1(new byte[] {0}))));
    assertThat(nextHp(c)).isInstanceOf(HocuspocusMessage.Auth.class);
    assertThat(nextHp(c)).isInstanceOf(HocuspocusMessage.Sync.class); // step 2
    assertThat(nextHp(c)).isInstanceOf(HocuspocusMessage.Sync.class); // server's step 1
    return c;
  }

  private WsClient ywebsocket(String doc) throws Exception {
    WsClient c = WsClient.connect(vertx, server.httpPort(), "/ws/" + doc);
    c.nextStartingWith((byte) 0, (byte) 0); // the server's SyncStep1: the document is loaded
    return c;
  }

  private static Map<Long, Long> stateVector(byte[] update) {
    return new TreeMap<>(Updates.decodeStateVector(Updates.encodeStateVectorFromUpdate(update)));
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + path))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<byte[]> getBytes(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + path))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  @Test
  void aFullBufferRefusesNewUpdatesClearlyAndDropsNothing() throws Exception {
    dir = Files.createTempDirectory("tandem-buffer");
    redis = EmbeddedRedis.start(new EmbeddedRedis.Options(dir).withFsync(FsyncPolicy.EVERYSEC));
    vertx = Vertx.vertx();
    String prefix = TestServers.freshPrefix();
    server = TestServers.start(redis, prefix, 0, "--write-buffer.max-updates=4", "--redis.breaker.max-failures=2",
        "--redis.breaker.timeout=400ms", "--redis.breaker.reset-timeout=300ms", "--session.eviction-grace=30s");

    WsClient writer = hocuspocus("full-a");
    WsClient watcher = hocuspocus("full-a");
    WsClient ywsWriter = ywebsocket("full-b");
    WsClient ywsWatcher = ywebsocket("full-b");
    WsClient other1 = ywebsocket("full-c");
    WsClient other2 = ywebsocket("full-c");

    byte[] u0 = insert(100, "zero ");
    writer.send(hp("full-a", new HocuspocusMessage.Sync(new SyncMessage.Update(u0))));
    assertThat(nextHp(writer)).isEqualTo(new HocuspocusMessage.SyncStatus(true));
    assertThat(nextHp(watcher)).isEqualTo(new HocuspocusMessage.Sync(new SyncMessage.Update(u0)));

    signal("STOP"); // Redis hangs: commands time out, the breaker opens

    for (int i = 1; i <= 3; i++) {
      byte[] u = insert(100 + i, "u" + i + " ");
      writer.send(hp("full-a", new HocuspocusMessage.Sync(new SyncMessage.Update(u))));
      // relayed live although Redis does not answer
      assertThat(nextHp(watcher)).isEqualTo(new HocuspocusMessage.Sync(new SyncMessage.Update(u)));
    }
    // a REST update is buffered too; its 204 waits for Redis
    byte[] u4 = insert(104, "rest ");
    CompletableFuture<HttpResponse<String>> restPost = http.sendAsync(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + server.httpPort() + "/api/documents/full-a/update"))
        .POST(HttpRequest.BodyPublishers.ofByteArray(u4)).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(nextHp(watcher)).isEqualTo(new HocuspocusMessage.Sync(new SyncMessage.Update(u4)));
    assertThat(nextHp(writer)).isEqualTo(new HocuspocusMessage.Sync(new SyncMessage.Update(u4)));
    assertThat(server.sessions().writeBuffer().updates()).isEqualTo(4);

    // 5th update: refused at once, not applied, not relayed
    byte[] refused = insert(105, "refused ");
    writer.send(hp("full-a", new HocuspocusMessage.Sync(new SyncMessage.Update(refused))));
    assertThat(nextHp(writer)).isEqualTo(new HocuspocusMessage.SyncStatus(false));
    quiet(watcher, 300);
    byte[] inMemory = getBytes("/api/documents/full-a/update").body();
    assertThat(stateVector(inMemory)).containsOnlyKeys(100L, 101L, 102L, 103L, 104L);

    // y-websocket: close 1013, the other socket of that document stays and sees nothing of it
    ywsWriter.send(yws(new YWebsocketMessage.Sync(new SyncMessage.Update(insert(200, "yws refused ")))));
    assertThat(ywsWriter.closeCode()).isEqualTo(CloseCodes.TRY_AGAIN_LATER);
    assertThat(ywsWriter.closeReason()).contains("write buffer full");
    assertThat(ywsWatcher.closed).isNotDone();

    // REST: 503 + Retry-After + JSON, nothing applied
    HttpResponse<String> post = http.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + server.httpPort() + "/api/documents/full-a/update"))
        .POST(HttpRequest.BodyPublishers.ofByteArray(insert(300, "rest refused "))).timeout(Duration.ofSeconds(10))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(post.statusCode()).isEqualTo(503);
    assertThat(post.headers().firstValue("retry-after")).contains("1");
    assertThat(new JsonObject(post.body()).getString("error")).isEqualTo("write_buffer_full");

    // other documents: sockets stay up, awareness relays, an update with nothing new is accepted
    other1.send(yws(new YWebsocketMessage.Awareness(AwarenessUpdate.of(new AwarenessEntry(7, 1, "{\"user\":\"x\"}")))));
    other2.nextStartingWith((byte) 1);
    other1.send(yws(new YWebsocketMessage.Sync(new SyncMessage.Update(new byte[] {0, 0}))));
    Thread.sleep(200);
    assertThat(other1.closed).isNotDone();
    assertThat(other2.closed).isNotDone();

    // degraded readiness while the breaker is open
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (server.redisGuard().state() == CircuitBreakerState.CLOSED && System.nanoTime() < end) {
      Thread.sleep(20);
    }
    HttpResponse<String> ready = get("/health/ready");
    assertThat(ready.statusCode()).isEqualTo(503);
    JsonObject health = new JsonObject(ready.body());
    assertThat(health.getString("status")).isEqualTo("DEGRADED");
    assertThat(health.getJsonObject("writeBuffer").getLong("updates")).isEqualTo(4);
    assertThat(health.getJsonObject("writeBuffer").getLong("refused")).isGreaterThanOrEqualTo(3);

    assertThat(restPost).isNotDone();
    quiet(writer, 200); // no acknowledgement while Redis hangs

    // Redis resumes: the held acknowledgements arrive, then the refused client is asked to resync
    signal("CONT");
    assertThat(restPost.get(20, TimeUnit.SECONDS).statusCode()).isEqualTo(204);
    int acks = 0;
    boolean resyncAsked = false;
    while (acks < 3 || !resyncAsked) {
      HocuspocusMessage m = nextHp(writer);
      if (m.equals(new HocuspocusMessage.SyncStatus(true))) {
        acks++;
      } else if (m instanceof HocuspocusMessage.Sync s && s.message() instanceof SyncMessage.Step1) {
        resyncAsked = true;
      } else {
        throw new AssertionError("unexpected " + m);
      }
    }
    assertThat(acks).isEqualTo(3);
    // the client answers the server's step 1 with what the server lacks: the refused update
    writer.send(hp("full-a", new HocuspocusMessage.Sync(new SyncMessage.Step2(refused))));
    assertThat(nextHp(writer)).isEqualTo(new HocuspocusMessage.SyncStatus(true));
    assertThat(nextHp(watcher)).isEqualTo(new HocuspocusMessage.Sync(new SyncMessage.Update(refused)));

    assertThat(server.sessions().writeBuffer().updates()).isZero();
    assertThat(get("/health/ready").statusCode()).isEqualTo(200);
    // Redis holds exactly what was accepted: u0..u4 and the resent update; nothing refused crept in
    List<byte[]> stored = new ArrayList<>();
    for (Buffer b : server.store().load("full-a").await(10, TimeUnit.SECONDS).updates()) {
      stored.add(b.getBytes());
    }
    assertThat(stateVector(Updates.mergeUpdates(stored))).containsOnlyKeys(100L, 101L, 102L, 103L, 104L, 105L);
    assertThat(server.store().load("full-b").await(10, TimeUnit.SECONDS).updates()).isEmpty();
  }
}
