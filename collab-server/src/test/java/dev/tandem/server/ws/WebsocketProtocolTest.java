package dev.tandem.server.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.crdt.lib0.Lib0Encoder;
import dev.tandem.crdt.protocol.SyncMessage;
import dev.tandem.crdt.protocol.hocuspocus.AuthorizedScope;
import dev.tandem.crdt.protocol.hocuspocus.HocuspocusAuth;
import dev.tandem.crdt.protocol.hocuspocus.HocuspocusDecoder;
import dev.tandem.crdt.protocol.hocuspocus.HocuspocusEncoder;
import dev.tandem.crdt.protocol.hocuspocus.HocuspocusFrame;
import dev.tandem.crdt.protocol.hocuspocus.HocuspocusMessage;
import dev.tandem.crdt.protocol.ywebsocket.YWebsocketCodec;
import dev.tandem.crdt.protocol.ywebsocket.YWebsocketMessage;
import dev.tandem.server.TandemServer;
import dev.tandem.server.redis.EmbeddedRedis;
import dev.tandem.server.testing.RedisServerExtension;
import dev.tandem.server.testing.TestServers;
import io.vertx.core.Vertx;
import io.vertx.core.http.UpgradeRejectedException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** Raw-frame tests of both websocket endpoints and the REST API against a real server and Redis. */
@ExtendWith(RedisServerExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WebsocketProtocolTest {
  /** Yjs: client 1000 inserts "hello" into Y.Text "text" (encodeStateAsUpdate). */
  static final byte[] HELLO = HexFormat.of().parseHex("0101e80700040104746578740568656c6c6f00");
  /** Yjs: then appends " world" (the diff against the state after HELLO). */
  static final byte[] WORLD = HexFormat.of().parseHex("0101e8070584e807040620776f726c6400");
  static final byte[] SV_AFTER_BOTH = HexFormat.of().parseHex("01e8070b");

  private static Vertx vertx;
  private static TandemServer server;
  private static TandemServer small;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start(EmbeddedRedis redis) throws Exception {
    vertx = Vertx.vertx();
    server = TestServers.start(redis, TestServers.freshPrefix(), 0);
    small = TestServers.start(redis, TestServers.freshPrefix(), 0, "--ws.max-message-size=64KiB", "--ws.ping-interval=200ms");
  }

  @AfterAll
  static void stop() throws Exception {
    if (server != null) {
      server.stop();
    }
    if (small != null) {
      small.stop();
    }
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  static byte[] yws(YWebsocketMessage m) {
    return YWebsocketCodec.encode(m);
  }

  static byte[] step1(byte[] sv) {
    return yws(new YWebsocketMessage.Sync(new SyncMessage.Step1(sv)));
  }

  static byte[] update(byte[] u) {
    return yws(new YWebsocketMessage.Sync(new SyncMessage.Update(u)));
  }

  static final byte[] EMPTY_SV = {0};

  WsClient ws(TandemServer s, String doc) throws Exception {
    WsClient c = WsClient.connect(vertx, s.httpPort(), "/ws/" + doc);
    // on connect: SyncStep1 from the server
    assertThat(c.next()).startsWith(0, 0);
    return c;
  }

  HttpResponse<byte[]> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + path)).build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  HttpResponse<String> send(String method, String path, byte[] body) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body))
        .build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void malformedFrameClosesOnlyThatSocketWith1002() throws Exception {
    WsClient bad = ws(server, "bad-frame");
    WsClient good = ws(server, "bad-frame");
    bad.send(new byte[] {7, 1, 2}); // unknown message type
    assertThat(bad.closeCode()).isEqualTo(1002);
    assertThat(bad.closeReason()).contains("unknown y-websocket message type");
    good.send(update(HELLO));
    good.send(step1(EMPTY_SV));
    byte[] step2 = good.nextStartingWith((byte) 0, (byte) 1);
    assertThat(step2.length).isGreaterThan(10);
    assertThat(good.closed).isNotDone();
  }

  @Test
  void truncatedAndPaddedFramesAre1002() throws Exception {
    WsClient a = ws(server, "bad-trunc");
    a.send(new byte[] {0, 2, 50, 1}); // update claims 50 bytes
    assertThat(a.closeCode()).isEqualTo(1002);
    WsClient b = ws(server, "bad-trunc");
    byte[] padded = java.util.Arrays.copyOf(update(HELLO), update(HELLO).length + 1);
    b.send(padded);
    assertThat(b.closeCode()).isEqualTo(1002);
    assertThat(get("/api/documents/bad-trunc/update").statusCode()).isEqualTo(404);
  }

  @Test
  void textFrameIs1003() throws Exception {
    WsClient a = ws(server, "bad-text");
    a.ws.writeTextMessage("hello");
    assertThat(a.closeCode()).isEqualTo(1003);
  }

  @Test
  void undecodableUpdateIs1003AndNothingIsApplied() throws Exception {
    WsClient bad = ws(server, "bad-update");
    WsClient other = ws(server, "bad-update");
    bad.send(update(new byte[] {5, 1, 2, 3}));
    assertThat(bad.closeCode()).isEqualTo(1003);
    assertThat(get("/api/documents/bad-update/update").statusCode()).isEqualTo(404);
    other.send(update(HELLO));
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (get("/api/documents/bad-update/update").statusCode() != 200 && System.nanoTime() < end) {
      Thread.sleep(20);
    }
    assertThat(get("/api/documents/bad-update/update").body()).isEqualTo(HELLO);
  }

  @Test
  void tooBigMessageIs1009() throws Exception {
    WsClient a = ws(small, "big-msg");
    a.send(update(new byte[100_000]));
    assertThat(a.closeCode()).isEqualTo(1009);
  }

  @Test
  void invalidDocumentNameIsHttp400BeforeUpgrade() throws Exception {
    assertThatThrownBy(() -> WsClient.connect(vertx, server.httpPort(), "/ws/a%7Bb%7D"))
        .isInstanceOfSatisfying(UpgradeRejectedException.class, e -> assertThat(e.getStatus()).isEqualTo(400));
    HttpResponse<byte[]> r = get("/ws/%00x");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(new String(r.body())).contains("\"error\":\"invalid_document_name\"");
  }

  @Test
  void updatesAreRelayedAndQueryAwarenessAnswered() throws Exception {
    WsClient a = ws(server, "relay");
    WsClient b = ws(server, "relay");
    a.send(update(HELLO));
    assertThat(b.nextStartingWith((byte) 0, (byte) 2)).isEqualTo(update(HELLO));
    // awareness from a reaches b; QueryAwareness returns it
    Lib0Encoder aw = new Lib0Encoder().writeVarUint(1).writeVarUint(77).writeVarUint(1).writeVarString("{\"u\":1}");
    byte[] awFrame = new Lib0Encoder().writeVarUint(1).writeVarUint8Array(aw.toByteArray()).toByteArray();
    a.send(awFrame);
    assertThat(b.nextStartingWith((byte) 1)).isEqualTo(awFrame);
    b.send(new byte[] {3});
    assertThat(b.nextStartingWith((byte) 1)).isEqualTo(awFrame);
    // a's socket closes: b is told client 77 is gone (clock + 1, state null)
    a.ws.close();
    Lib0Encoder gone = new Lib0Encoder().writeVarUint(1).writeVarUint(77).writeVarUint(2).writeVarString("null");
    byte[] goneFrame = new Lib0Encoder().writeVarUint(1).writeVarUint8Array(gone.toByteArray()).toByteArray();
    assertThat(b.nextStartingWith((byte) 1)).isEqualTo(goneFrame);
  }

  @Test
  void keepAlivePingsAndEmptyAwareness() throws Exception {
    WsClient a = ws(small, "keepalive");
    // ping interval 200 ms: idle sockets get an empty awareness update (y-websocket's 30 s message timeout)
    assertThat(a.nextStartingWith((byte) 1)).containsExactly(1, 1, 0);
    Thread.sleep(1000); // the Vert.x client answers pings, so the socket stays open
    assertThat(a.closed).isNotDone();
  }

  // ------------------------------------------------------------------------ Hocuspocus

  static byte[] hp(String key, HocuspocusMessage m) {
    return HocuspocusEncoder.encode(key, m);
  }

  static HocuspocusFrame.Document nextDoc(WsClient c) throws InterruptedException {
    while (true) {
      HocuspocusFrame f = HocuspocusDecoder.decodeFromServer(c.next());
      if (f instanceof HocuspocusFrame.Document d) {
        return d;
      }
    }
  }

  @Test
  void hocuspocusHandshakeSyncAndSyncStatusAfterRedis() throws Exception {
    WsClient c = WsClient.connect(vertx, server.httpPort(), "/hocuspocus");
    String key = "hp-doc\0session-1";
    // token, step 1 and an update back to back: nothing but Auth is handled before Authenticated
    c.send(hp(key, new HocuspocusMessage.Auth(new HocuspocusAuth.Token("t", "4.8.0"))));
    c.send(hp(key, new HocuspocusMessage.Sync(new SyncMessage.Step1(EMPTY_SV))));
    c.send(hp(key, new HocuspocusMessage.Sync(new SyncMessage.Update(HELLO))));
    HocuspocusFrame.Document auth = nextDoc(c);
    assertThat(auth.documentKey()).isEqualTo(key);
    assertThat(auth.message()).isEqualTo(new HocuspocusMessage.Auth(new HocuspocusAuth.Authenticated(AuthorizedScope.READ_WRITE)));
    HocuspocusFrame.Document step2 = nextDoc(c);
    assertThat(((HocuspocusMessage.Sync) step2.message()).message()).isInstanceOf(SyncMessage.Step2.class);
    HocuspocusFrame.Document step1 = nextDoc(c);
    assertThat(((HocuspocusMessage.Sync) step1.message()).message()).isInstanceOf(SyncMessage.Step1.class);
    HocuspocusFrame.Document status = nextDoc(c);
    assertThat(status.message()).isEqualTo(new HocuspocusMessage.SyncStatus(true));
    // acknowledged means stored: a fresh read from Redis has it
    assertThat(server.store().load("hp-doc").await(5, TimeUnit.SECONDS).updates()).hasSize(1);
    // a malformed frame closes the socket with 1002
    c.send(new byte[] {3, 'a', 'b', 'c', 42});
    assertThat(c.closeCode()).isEqualTo(1002);
  }

  @Test
  void hocuspocusInvalidNameIsPermissionDenied() throws Exception {
    WsClient c = WsClient.connect(vertx, server.httpPort(), "/hocuspocus");
    c.send(hp("bad{name}", new HocuspocusMessage.Auth(new HocuspocusAuth.Token("t", null))));
    HocuspocusFrame.Document d = nextDoc(c);
    assertThat(d.message()).isInstanceOfSatisfying(HocuspocusMessage.Auth.class,
        a -> assertThat(a.auth()).isInstanceOf(HocuspocusAuth.PermissionDenied.class));
  }

  // ------------------------------------------------------------------------ REST

  @Test
  void restUpdateRoundTripLiveDeliveryListAndDelete() throws Exception {
    WsClient live = ws(server, "rest%2Fdoc");
    HttpResponse<String> bad = send("POST", "/api/documents/rest%2Fdoc/update", new byte[] {9, 9, 9});
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.body()).contains("\"error\":\"invalid_update\"");
    assertThat(send("POST", "/api/documents/rest%2Fdoc/update", HELLO).statusCode()).isEqualTo(204);
    assertThat(live.nextStartingWith((byte) 0, (byte) 2)).isEqualTo(update(HELLO));
    assertThat(send("POST", "/api/documents/rest%2Fdoc/update", WORLD).statusCode()).isEqualTo(204);

    HttpResponse<byte[]> all = get("/api/documents/rest%2Fdoc/update");
    assertThat(all.statusCode()).isEqualTo(200);
    assertThat(all.headers().firstValue("content-type")).hasValue("application/octet-stream");
    String sv = java.util.Base64.getEncoder().encodeToString(SV_AFTER_BOTH);
    assertThat(get("/api/documents/rest%2Fdoc/update?sv=" + sv).body()).containsExactly(0, 0);
    assertThat(get("/api/documents/rest%2Fdoc/update?sv=!!").statusCode()).isEqualTo(400);
    assertThat(get("/api/documents/rest%2Fdoc/update?v=2").statusCode()).isEqualTo(200);

    HttpResponse<String> list = send("GET", "/api/documents?prefix=rest", null);
    assertThat(list.statusCode()).isEqualTo(200);
    assertThat(list.body()).contains("\"name\":\"rest/doc\"");

    assertThat(get("/api/documents/nobody-here/update").statusCode()).isEqualTo(404);
    assertThat(send("POST", "/api/documents/a%7Bb/update", HELLO).statusCode()).isEqualTo(400);

    assertThat(send("DELETE", "/api/documents/rest%2Fdoc", null).statusCode()).isEqualTo(204);
    assertThat(live.closeCode()).isEqualTo(4410);
    assertThat(get("/api/documents/rest%2Fdoc/update").statusCode()).isEqualTo(404);
    assertThat(send("DELETE", "/api/documents/rest%2Fdoc", null).statusCode()).isEqualTo(404);
  }

  @Test
  void sessionsAreEvictedAfterTheGracePeriod() throws Exception {
    WsClient a = ws(server, "evict-me");
    a.send(update(HELLO));
    assertThat(server.sessions().existing("evict-me")).isNotNull();
    a.ws.close();
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (server.sessions().existing("evict-me") != null && System.nanoTime() < end) {
      Thread.sleep(50);
    }
    assertThat(server.sessions().existing("evict-me")).isNull();
    // and a new session serves what was stored
    assertThat(get("/api/documents/evict-me/update").body()).isEqualTo(HELLO);
  }
}
