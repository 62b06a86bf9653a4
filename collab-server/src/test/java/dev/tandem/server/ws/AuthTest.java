package dev.tandem.server.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.crdt.lib0.Lib0Encoder;
import dev.tandem.crdt.protocol.AwarenessEntry;
import dev.tandem.crdt.protocol.AwarenessUpdate;
import dev.tandem.crdt.protocol.SyncMessage;
import dev.tandem.crdt.protocol.hocuspocus.AuthorizedScope;
import dev.tandem.crdt.protocol.hocuspocus.HocuspocusAuth;
import dev.tandem.crdt.protocol.hocuspocus.HocuspocusDecoder;
import dev.tandem.crdt.protocol.hocuspocus.HocuspocusEncoder;
import dev.tandem.crdt.protocol.hocuspocus.HocuspocusFrame;
import dev.tandem.crdt.protocol.hocuspocus.HocuspocusMessage;
import dev.tandem.crdt.protocol.ywebsocket.YWebsocketCodec;
import dev.tandem.crdt.protocol.ywebsocket.YWebsocketMessage;
import dev.tandem.server.Logging;
import dev.tandem.server.TandemServer;
import dev.tandem.server.config.LogFormat;
import dev.tandem.server.redis.EmbeddedRedis;
import dev.tandem.server.testing.NodeClients;
import dev.tandem.server.testing.LogCapture;
import dev.tandem.server.testing.RedisServerExtension;
import dev.tandem.server.testing.TestServers;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.math.BigInteger;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Authentication and authorisation against real servers on a real Redis: one with an HS256 secret
 * (leeway 0 for the expiry tests), one with RSA and EC public keys from a PEM file plus a JWKS file.
 * Tokens are minted here with vertx-auth-jwt; keys are generated here with java.security.
 */
@ExtendWith(RedisServerExtension.class)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class AuthTest {
  static final byte[] HELLO = WebsocketProtocolTest.HELLO;
  static final byte[] WORLD = WebsocketProtocolTest.WORLD;
  static final byte[] EMPTY_SV = {0};
  static final String SECRET = "a-test-secret-of-at-least-32-bytes!!";

  @TempDir static Path dir;
  private static Vertx vertx;
  private static TandemServer hs;
  private static TandemServer pk;
  private static JWTAuth hsSigner;
  private static JWTAuth rsaSigner;
  private static JWTAuth ecSigner;
  private static JWTAuth jwksSigner;
  private static JWTAuth strangerSigner;
  private static String rsaPublicPem;
  /** Every token minted, to check none reaches a log line. */
  private static final List<String> minted = new ArrayList<>();
  private static final LogCapture capture = new LogCapture();
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start(EmbeddedRedis redis) throws Exception {
    vertx = Vertx.vertx();
    Logger root = Logger.getLogger("");
    root.addHandler(capture);
    Logger.getLogger("dev.tandem").setLevel(Level.ALL);
    Logger.getLogger("io.vertx").setLevel(Level.ALL);
    capture.setLevel(Level.ALL);

    hsSigner = signer("HS256", SECRET);
    hs = TestServers.start(redis, TestServers.freshPrefix(), 0, "--auth.mode=jwt", "--auth.jwt.secret=" + SECRET,
        "--auth.jwt.leeway=0s");

    KeyPairGenerator rsaGen = KeyPairGenerator.getInstance("RSA");
    rsaGen.initialize(2048);
    KeyPair rsa = rsaGen.generateKeyPair();
    KeyPair rsa2 = rsaGen.generateKeyPair();
    KeyPair stranger = rsaGen.generateKeyPair();
    KeyPairGenerator ecGen = KeyPairGenerator.getInstance("EC");
    ecGen.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair ec = ecGen.generateKeyPair();
    rsaPublicPem = pem("PUBLIC KEY", rsa.getPublic().getEncoded());
    Path pemFile = dir.resolve("keys.pem");
    Files.writeString(pemFile, rsaPublicPem + pem("PUBLIC KEY", ec.getPublic().getEncoded()));
    RSAPublicKey rsa2Public = (RSAPublicKey) rsa2.getPublic();
    JsonObject jwks = new JsonObject().put("keys", new JsonArray().add(new JsonObject().put("kty", "RSA").put("kid", "k2")
        .put("alg", "RS256").put("use", "sig").put("n", b64u(rsa2Public.getModulus())).put("e", b64u(rsa2Public.getPublicExponent()))));
    Path jwksFile = dir.resolve("jwks.json");
    Files.writeString(jwksFile, jwks.encodePrettily());
    rsaSigner = signer("RS256", pem("PRIVATE KEY", rsa.getPrivate().getEncoded()));
    ecSigner = signer("ES256", pem("PRIVATE KEY", ec.getPrivate().getEncoded()));
    jwksSigner = signer("RS256", pem("PRIVATE KEY", rsa2.getPrivate().getEncoded()));
    strangerSigner = signer("RS256", pem("PRIVATE KEY", stranger.getPrivate().getEncoded()));
    pk = TestServers.start(redis, TestServers.freshPrefix(), 0, "--auth.mode=jwt", "--auth.jwt.public-keys=" + pemFile,
        "--auth.jwt.jwks=" + jwksFile);
  }

  @AfterAll
  static void stop() throws Exception {
    if (hs != null) {
      hs.stop();
    }
    if (pk != null) {
      pk.stop();
    }
    vertx.close().await(10, TimeUnit.SECONDS);
    Logger.getLogger("").removeHandler(capture);
    Logger.getLogger("dev.tandem").setLevel(null);
    Logger.getLogger("io.vertx").setLevel(null);
  }

  // ------------------------------------------------------------------------ tokens

  static JWTAuth signer(String alg, String key) {
    return JWTAuth.create(vertx, new JWTAuthOptions().addPubSecKey(new PubSecKeyOptions().setAlgorithm(alg)
        .setBuffer(Buffer.buffer(key.getBytes(StandardCharsets.UTF_8)))));
  }

  static String pem(String kind, byte[] der) {
    return "-----BEGIN " + kind + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END " + kind + "-----\n";
  }

  static String b64u(BigInteger v) {
    byte[] b = v.toByteArray();
    if (b[0] == 0 && b.length > 1) {
      b = java.util.Arrays.copyOfRange(b, 1, b.length);
    }
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  static long now() {
    return System.currentTimeMillis() / 1000;
  }

  static JsonObject claims(String sub, long expiresInSeconds, Map<String, String> docs) {
    return new JsonObject().put("sub", sub).put("exp", now() + expiresInSeconds).put("docs", new JsonObject(new java.util.HashMap<>(docs)));
  }

  static String mint(JWTAuth signer, String alg, JsonObject claims) {
    return mint(signer, new JWTOptions().setAlgorithm(alg), claims);
  }

  static String mint(JWTAuth signer, JWTOptions options, JsonObject claims) {
    String t = signer.generateToken(claims, options);
    minted.add(t);
    return t;
  }

  static String hsToken(String sub, Map<String, String> docs) {
    return mint(hsSigner, "HS256", claims(sub, 600, docs));
  }

  // ------------------------------------------------------------------------ clients

  static String q(String token) {
    return URLEncoder.encode(token, StandardCharsets.UTF_8);
  }

  static WsClient yws(TandemServer s, String doc, String token) throws Exception {
    WsClient c = WsClient.connect(vertx, s.httpPort(), "/ws/" + doc + (token == null ? "" : "?token=" + q(token)));
    assertThat(c.next()).startsWith(0, 0); // the server's SyncStep1
    return c;
  }

  static UpgradeRejectedException rejected(TandemServer s, String uri) {
    try {
      WsClient.connect(vertx, s.httpPort(), uri);
    } catch (UpgradeRejectedException e) {
      return e;
    } catch (Exception e) {
      if (e.getCause() instanceof UpgradeRejectedException u) {
        return u;
      }
      throw new AssertionError("expected a rejected upgrade, got " + e, e);
    }
    throw new AssertionError("the upgrade of " + uri.replaceAll("token=[^&]*", "token=...") + " succeeded");
  }

  static void assertRejected(TandemServer s, String uri, int status, String error) {
    UpgradeRejectedException e = rejected(s, uri);
    assertThat(e.getStatus()).isEqualTo(status);
    JsonObject body = new JsonObject(e.getBody());
    assertThat(body.getString("error")).isEqualTo(error);
    assertThat(body.getString("message")).isNotBlank();
  }

  static byte[] ywsUpdate(byte[] u) {
    return YWebsocketCodec.encode(new YWebsocketMessage.Sync(new SyncMessage.Update(u)));
  }

  static byte[] ywsStep2(byte[] u) {
    return YWebsocketCodec.encode(new YWebsocketMessage.Sync(new SyncMessage.Step2(u)));
  }

  static byte[] awarenessFrame(long clientId) {
    Lib0Encoder aw = new Lib0Encoder().writeVarUint(1).writeVarUint(clientId).writeVarUint(1).writeVarString("{\"u\":1}");
    return new Lib0Encoder().writeVarUint(1).writeVarUint8Array(aw.toByteArray()).toByteArray();
  }

  static byte[] hp(String key, HocuspocusMessage m) {
    return HocuspocusEncoder.encode(key, m);
  }

  static byte[] hpToken(String key, String token) {
    return hp(key, new HocuspocusMessage.Auth(new HocuspocusAuth.Token(token, "4.8.0")));
  }

  /** The next document frame matching {@code want}; others are skipped. */
  static HocuspocusFrame.Document next(WsClient c, Predicate<HocuspocusMessage> want) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < end) {
      byte[] b = c.received.poll(200, TimeUnit.MILLISECONDS);
      if (b == null) {
        continue;
      }
      if (HocuspocusDecoder.decodeFromServer(b) instanceof HocuspocusFrame.Document d && want.test(d.message())) {
        return d;
      }
    }
    throw new AssertionError("no matching Hocuspocus message within 10 s");
  }

  static HocuspocusAuth nextAuth(WsClient c) throws InterruptedException {
    return ((HocuspocusMessage.Auth) next(c, m -> m instanceof HocuspocusMessage.Auth a
        && !(a.auth() instanceof HocuspocusAuth.TokenRequest)).message()).auth();
  }

  static WsClient hocuspocus(TandemServer s) throws Exception {
    return WsClient.connect(vertx, s.httpPort(), "/hocuspocus");
  }

  /** A Hocuspocus key authenticated with {@code token}; returns the scope. */
  static AuthorizedScope hpAuth(WsClient c, String key, String token) throws Exception {
    c.send(hpToken(key, token));
    HocuspocusAuth a = nextAuth(c);
    assertThat(a).isInstanceOf(HocuspocusAuth.Authenticated.class);
    return ((HocuspocusAuth.Authenticated) a).scope();
  }

  HttpResponse<String> rest(TandemServer s, String method, String path, String token, byte[] body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.httpPort() + path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    if (token != null) {
      b.header("Authorization", token.contains(" ") ? token : "Bearer " + token);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static boolean stored(TandemServer s, String doc) throws Exception {
    return !s.store().load(doc).await(5, TimeUnit.SECONDS).isEmpty();
  }

  // ------------------------------------------------------------------------ y-websocket

  @Test
  void ywsTokensAreCheckedBeforeTheUpgrade() throws Exception {
    String good = hsToken("alice", Map.of("ws-a", "rw"));
    yws(hs, "ws-a", good).ws.close();
    assertRejected(hs, "/ws/ws-a", 401, "missing_token");
    assertRejected(hs, "/ws/ws-a?token=", 401, "missing_token");
    assertRejected(hs, "/ws/ws-a?token=not.a.jwt", 401, "invalid_token");
    String expired = mint(hsSigner, "HS256", claims("alice", -5, Map.of("ws-a", "rw")));
    assertRejected(hs, "/ws/ws-a?token=" + q(expired), 401, "token_expired");
    // signed with another secret
    String wrong = mint(signer("HS256", "another-secret-that-is-32-bytes-long!"), "HS256", claims("alice", 600, Map.of("ws-a", "rw")));
    assertRejected(hs, "/ws/ws-a?token=" + q(wrong), 401, "invalid_token");
    // tampered claims, original signature
    String[] parts = good.split("\\.");
    String forged = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(
        claims("alice", 600, Map.of("*", "rw")).encode().getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
    assertRejected(hs, "/ws/ws-b?token=" + q(forged), 401, "invalid_token");
    // unsigned (alg none)
    String none = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8))
        + "." + parts[1] + ".";
    assertRejected(hs, "/ws/ws-a?token=" + q(none), 401, "invalid_token");
    // no exp / no sub
    assertRejected(hs, "/ws/ws-a?token=" + q(mint(hsSigner, "HS256", new JsonObject().put("sub", "a")
        .put("docs", new JsonObject().put("ws-a", "rw")))), 401, "invalid_token");
    assertRejected(hs, "/ws/ws-a?token=" + q(mint(hsSigner, "HS256", new JsonObject().put("exp", now() + 60)
        .put("docs", new JsonObject().put("ws-a", "rw")))), 401, "invalid_token");
    // bad docs claim
    assertRejected(hs, "/ws/ws-a?token=" + q(mint(hsSigner, "HS256", claims("alice", 600, Map.of("ws-a", "write")))),
        401, "invalid_token");
    // valid, but not for this document
    assertRejected(hs, "/ws/ws-b?token=" + q(good), 403, "forbidden");
    // the 401 carries a bearer challenge
    assertThat(rejected(hs, "/ws/ws-a").getHeaders().get("WWW-Authenticate")).startsWith("Bearer");
  }

  @Test
  void exactNamesPrefixPatternsAndAdminClaim() throws Exception {
    String t = hsToken("carol", Map.of("team-a/*", "rw", "team-a/archive/*", "ro", "notes/x", "ro", "team-a/archive/open", "rw"));
    yws(hs, "team-a%2Fplan", t).ws.close();
    yws(hs, "notes%2Fx", t).ws.close();
    yws(hs, "team-a%2Farchive%2Fopen", t).ws.close();
    assertRejected(hs, "/ws/notes%2Fy?token=" + q(t), 403, "forbidden");
    assertRejected(hs, "/ws/team-b%2Fplan?token=" + q(t), 403, "forbidden");
    assertRejected(hs, "/ws/team-a?token=" + q(t), 403, "forbidden"); // "team-a/*" needs the slash
    // scopes through Hocuspocus: longest prefix wins, an exact name beats every pattern
    WsClient c = hocuspocus(hs);
    assertThat(hpAuth(c, "team-a/plan", t)).isEqualTo(AuthorizedScope.READ_WRITE);
    assertThat(hpAuth(c, "team-a/archive/2020", t)).isEqualTo(AuthorizedScope.READ_ONLY);
    assertThat(hpAuth(c, "team-a/archive/open", t)).isEqualTo(AuthorizedScope.READ_WRITE);
    assertThat(hpAuth(c, "notes/x", t)).isEqualTo(AuthorizedScope.READ_ONLY);
    // "*" alone opens everything; admin opens everything read-write
    String everything = hsToken("dave", Map.of("*", "ro"));
    assertThat(hpAuth(c, "anything/at/all", everything)).isEqualTo(AuthorizedScope.READ_ONLY);
    String admin = mint(hsSigner, "HS256", claims("root", 600, Map.of()).put("admin", true));
    assertThat(hpAuth(c, "whatever", admin)).isEqualTo(AuthorizedScope.READ_WRITE);
    c.ws.close();
  }

  @Test
  void readOnlyYwsSocketSyncsDownSendsAwarenessButItsUpdatesAreDropped() throws Exception {
    String rw = hsToken("writer", Map.of("ro-ws", "rw"));
    String ro = hsToken("reader", Map.of("ro-ws", "ro"));
    WsClient writer = yws(hs, "ro-ws", rw);
    writer.send(ywsUpdate(HELLO));
    WsClient reader = yws(hs, "ro-ws", ro);
    // sync down: the reader asks with step 1 and gets the document
    reader.send(YWebsocketCodec.encode(new YWebsocketMessage.Sync(new SyncMessage.Step1(EMPTY_SV))));
    byte[] step2 = reader.nextStartingWith((byte) 0, (byte) 1);
    assertThat(step2.length).isGreaterThan(10);
    // its update and its SyncStep2 are dropped (not relayed), its awareness is relayed: the writer's
    // next message is that awareness, nothing before it
    reader.send(ywsUpdate(WORLD));
    reader.send(ywsStep2(WORLD));
    reader.send(awarenessFrame(4242));
    assertThat(writer.next()).isEqualTo(awarenessFrame(4242));
    // live updates reach the reader
    writer.send(ywsUpdate(WORLD));
    assertThat(reader.nextStartingWith((byte) 0, (byte) 2)).isEqualTo(ywsUpdate(WORLD));
    // relayed before it is stored (the relay does not wait for Redis): give the append a moment
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (hs.store().load("ro-ws").await(5, TimeUnit.SECONDS).entries().size() < 2 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(hs.store().load("ro-ws").await(5, TimeUnit.SECONDS).entries()).hasSize(2);
    assertThat(reader.closed).isNotDone();
  }

  @Test
  void readOnlyUpdatesNeverReachRedis() throws Exception {
    String ro = hsToken("reader", Map.of("ro-only", "ro"));
    WsClient reader = yws(hs, "ro-only", ro);
    reader.send(ywsUpdate(HELLO));
    reader.send(ywsStep2(WORLD));
    reader.send(awarenessFrame(99));
    // a read-write socket that joins now sees an empty document, and Redis has nothing
    WsClient late = yws(hs, "ro-only", hsToken("w", Map.of("ro-only", "rw")));
    late.send(YWebsocketCodec.encode(new YWebsocketMessage.Sync(new SyncMessage.Step1(EMPTY_SV))));
    byte[] step2 = late.nextStartingWith((byte) 0, (byte) 1);
    assertThat(step2).containsExactly(0, 1, 2, 0, 0); // an empty update
    assertThat(stored(hs, "ro-only")).isFalse();
    // Hocuspocus read-only: Update and SyncStep2 get SyncStatus(false), nothing is stored
    WsClient c = hocuspocus(hs);
    assertThat(hpAuth(c, "ro-only", ro)).isEqualTo(AuthorizedScope.READ_ONLY);
    c.send(hp("ro-only", new HocuspocusMessage.Sync(new SyncMessage.Update(HELLO))));
    assertThat(next(c, m -> m instanceof HocuspocusMessage.SyncStatus).message()).isEqualTo(new HocuspocusMessage.SyncStatus(false));
    c.send(hp("ro-only", new HocuspocusMessage.Sync(new SyncMessage.Step2(WORLD))));
    assertThat(next(c, m -> m instanceof HocuspocusMessage.SyncStatus).message()).isEqualTo(new HocuspocusMessage.SyncStatus(false));
    // its awareness relays to the other socket
    c.send(hp("ro-only", new HocuspocusMessage.Awareness(AwarenessUpdate.of(new AwarenessEntry(77, 1, "{\"u\":1}")))));
    byte[] seen = late.nextStartingWith((byte) 1);
    assertThat(seen).isEqualTo(awarenessFrame(77));
    assertThat(stored(hs, "ro-only")).isFalse();
    assertThat(late.closed).isNotDone();
  }

  // ------------------------------------------------------------------------ Hocuspocus auth

  @Test
  void hocuspocusPermissionDeniedWithReasons() throws Exception {
    WsClient c = hocuspocus(hs);
    c.send(hpToken("hp-x", ""));
    assertThat(nextAuth(c)).isEqualTo(new HocuspocusAuth.PermissionDenied("a bearer token is required"));
    c.send(hpToken("hp-x", "garbage"));
    assertThat(nextAuth(c)).isEqualTo(new HocuspocusAuth.PermissionDenied("malformed token"));
    c.send(hpToken("hp-x", mint(hsSigner, "HS256", claims("eve", -10, Map.of("hp-x", "rw")))));
    assertThat(nextAuth(c)).isInstanceOfSatisfying(HocuspocusAuth.PermissionDenied.class,
        d -> assertThat(d.reason()).contains("expired"));
    c.send(hpToken("hp-x", hsToken("eve", Map.of("hp-y", "rw"))));
    assertThat(nextAuth(c)).isEqualTo(new HocuspocusAuth.PermissionDenied("forbidden: the token does not grant document hp-x"));
    // frames of a refused key are dropped, not queued, not applied
    for (int i = 0; i < 300; i++) {
      c.send(hp("hp-x", new HocuspocusMessage.Sync(new SyncMessage.Update(HELLO))));
    }
    // a good token afterwards authenticates the same key
    assertThat(hpAuth(c, "hp-x", hsToken("eve", Map.of("hp-x", "rw")))).isEqualTo(AuthorizedScope.READ_WRITE);
    assertThat(c.closed).isNotDone();
    assertThat(stored(hs, "hp-x")).isFalse();
  }

  @Test
  void expiredTokenClosesLiveSocketsWith4401() throws Exception {
    // y-websocket: closed at exp (leeway 0 on this server)
    long t0 = System.currentTimeMillis();
    String shortLived = mint(hsSigner, "HS256", claims("frank", 2, Map.of("exp-*", "rw")));
    long exp = (now() + 2) * 1000;
    WsClient a = yws(hs, "exp-ws", shortLived);
    assertThat(a.closed.get(10, TimeUnit.SECONDS)).isEqualTo(4401);
    assertThat(a.closeReason()).contains("expired");
    assertThat(System.currentTimeMillis()).isGreaterThanOrEqualTo(exp - 1000);
    // Hocuspocus: the server asks for a fresh token first (TokenRequest), then closes at expiry
    WsClient h = hocuspocus(hs);
    String hpShort = mint(hsSigner, "HS256", claims("frank", 3, Map.of("exp-*", "rw")));
    assertThat(hpAuth(h, "exp-hp", hpShort)).isEqualTo(AuthorizedScope.READ_WRITE);
    assertThat(((HocuspocusMessage.Auth) next(h, m -> m instanceof HocuspocusMessage.Auth).message()).auth())
        .isEqualTo(new HocuspocusAuth.TokenRequest());
    assertThat(h.closed.get(10, TimeUnit.SECONDS)).isEqualTo(4401);
    assertThat(h.closeReason()).contains("expired");
    assertThat(System.currentTimeMillis() - t0).isLessThan(15000);
  }

  @Test
  void aRefreshedTokenKeepsTheHocuspocusSocket() throws Exception {
    WsClient h = hocuspocus(hs);
    assertThat(hpAuth(h, "refresh", mint(hsSigner, "HS256", claims("gina", 4, Map.of("refresh", "rw")))))
        .isEqualTo(AuthorizedScope.READ_WRITE);
    h.send(hp("refresh", new HocuspocusMessage.Sync(new SyncMessage.Update(HELLO))));
    assertThat(next(h, m -> m instanceof HocuspocusMessage.SyncStatus).message()).isEqualTo(new HocuspocusMessage.SyncStatus(true));
    // refresh with a longer-lived token that grants read-only now: the scope follows the new token
    assertThat(hpAuth(h, "refresh", mint(hsSigner, "HS256", claims("gina", 600, Map.of("refresh", "ro")))))
        .isEqualTo(AuthorizedScope.READ_ONLY);
    Thread.sleep(4500); // past the first token's expiry
    assertThat(h.closed).isNotDone();
    h.send(hp("refresh", new HocuspocusMessage.Sync(new SyncMessage.Update(WORLD))));
    assertThat(next(h, m -> m instanceof HocuspocusMessage.SyncStatus).message()).isEqualTo(new HocuspocusMessage.SyncStatus(false));
    // a refresh with a token that does not open the document detaches the key
    h.send(hpToken("refresh", hsToken("gina", Map.of("other", "rw"))));
    assertThat(nextAuth(h)).isInstanceOf(HocuspocusAuth.PermissionDenied.class);
    assertThat(h.closed).isNotDone();
    assertThat(hs.store().load("refresh").await(5, TimeUnit.SECONDS).entries()).hasSize(1);
  }

  // ------------------------------------------------------------------------ public keys

  @Test
  void rs256Es256AndJwksKeysFromFiles() throws Exception {
    Map<String, String> docs = Map.of("pk-*", "rw");
    yws(pk, "pk-rsa", mint(rsaSigner, "RS256", claims("h", 600, docs))).ws.close();
    yws(pk, "pk-ec", mint(ecSigner, "ES256", claims("h", 600, docs))).ws.close();
    String viaJwks = mint(jwksSigner, new JWTOptions().setAlgorithm("RS256").setHeader(new JsonObject().put("kid", "k2")),
        claims("h", 600, docs));
    yws(pk, "pk-jwks", viaJwks).ws.close();
    WsClient c = hocuspocus(pk);
    assertThat(hpAuth(c, "pk-ec", mint(ecSigner, "ES256", claims("h", 600, Map.of("pk-ec", "ro"))))).isEqualTo(AuthorizedScope.READ_ONLY);
    c.ws.close();
    // a key nobody configured, and the RSA public key misused as an HMAC secret (algorithm confusion)
    assertRejected(pk, "/ws/pk-x?token=" + q(mint(strangerSigner, "RS256", claims("h", 600, docs))), 401, "invalid_token");
    assertRejected(pk, "/ws/pk-x?token=" + q(mint(signer("HS256", rsaPublicPem), "HS256", claims("h", 600, docs))),
        401, "invalid_token");
    // an HS256 token is not accepted by a server without the secret
    assertRejected(pk, "/ws/pk-x?token=" + q(hsToken("h", docs)), 401, "invalid_token");
    // REST with an EC token
    assertThat(rest(pk, "GET", "/api/documents?prefix=pk-", mint(ecSigner, "ES256", claims("h", 600, docs)), null).statusCode())
        .isEqualTo(200);
  }

  // ------------------------------------------------------------------------ REST

  @Test
  void restNeedsABearerTokenThatGrantsTheDocument() throws Exception {
    String rw = hsToken("ivan", Map.of("rest-*", "rw"));
    String ro = hsToken("judy", Map.of("rest-ro", "ro", "rest-a", "ro"));
    HttpResponse<String> r = rest(hs, "GET", "/api/documents/rest-a/update", null, null);
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(new JsonObject(r.body()).getString("error")).isEqualTo("missing_token");
    assertThat(r.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
    r = rest(hs, "GET", "/api/documents/rest-a/update", "Basic dXNlcjpwYXNz", null);
    assertThat(r.statusCode()).isEqualTo(401);
    r = rest(hs, "GET", "/api/documents/rest-a/update", "junk", null);
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(new JsonObject(r.body()).getString("error")).isEqualTo("invalid_token");
    r = rest(hs, "GET", "/api/documents", mint(hsSigner, "HS256", claims("ivan", -1, Map.of("rest-*", "rw"))), null);
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(new JsonObject(r.body()).getString("error")).isEqualTo("token_expired");

    assertThat(rest(hs, "POST", "/api/documents/rest-a/update", rw, HELLO).statusCode()).isEqualTo(204);
    assertThat(rest(hs, "GET", "/api/documents/rest-a/update", ro, null).statusCode()).isEqualTo(200);
    r = rest(hs, "POST", "/api/documents/rest-a/update", ro, WORLD);
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(new JsonObject(r.body()).getString("error")).isEqualTo("forbidden");
    assertThat(rest(hs, "DELETE", "/api/documents/rest-a", ro, null).statusCode()).isEqualTo(403);
    assertThat(rest(hs, "GET", "/api/documents/other/update", rw, null).statusCode()).isEqualTo(403);
    assertThat(rest(hs, "POST", "/api/documents/other/update", rw, HELLO).statusCode()).isEqualTo(403);
    assertThat(stored(hs, "other")).isFalse();
    assertThat(hs.store().load("rest-a").await(5, TimeUnit.SECONDS).entries()).hasSize(1);
    // the list shows only readable documents
    assertThat(rest(hs, "POST", "/api/documents/rest-b/update", rw, HELLO).statusCode()).isEqualTo(204);
    JsonObject list = new JsonObject(rest(hs, "GET", "/api/documents?prefix=rest-", ro, null).body());
    assertThat(list.getJsonArray("documents").stream().map(d -> ((JsonObject) d).getString("name")).toList())
        .containsExactly("rest-a");
    list = new JsonObject(rest(hs, "GET", "/api/documents?prefix=rest-", rw, null).body());
    assertThat(list.getJsonArray("documents").size()).isEqualTo(2);
    // health stays open
    assertThat(rest(hs, "GET", "/health/live", null, null).statusCode()).isEqualTo(200);
  }

  // ------------------------------------------------------------------------ admin

  @Test
  void adminDisconnectByDocumentAndBySubject() throws Exception {
    String alice = hsToken("alice-adm", Map.of("adm-*", "rw"));
    String bob = hsToken("bob-adm", Map.of("adm-*", "rw"));
    String admin = mint(hsSigner, "HS256", claims("ops", 600, Map.of()).put("admin", true));
    WsClient a1 = yws(hs, "adm-1", alice);
    WsClient b1 = yws(hs, "adm-1", bob);
    WsClient b2 = yws(hs, "adm-2", bob);
    WsClient h1 = hocuspocus(hs);
    hpAuth(h1, "adm-1", bob);
    WsClient h2 = hocuspocus(hs);
    hpAuth(h2, "adm-2", alice);

    // not an admin: 403; a bad body: 400
    HttpResponse<String> r = rest(hs, "POST", "/api/admin/disconnect", alice, "{\"document\":\"adm-1\"}".getBytes());
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(rest(hs, "POST", "/api/admin/disconnect", null, "{\"document\":\"adm-1\"}".getBytes()).statusCode()).isEqualTo(401);
    assertThat(rest(hs, "POST", "/api/admin/disconnect", admin, "{\"document\":\"adm-1\",\"subject\":\"x\"}".getBytes()).statusCode())
        .isEqualTo(400);
    assertThat(rest(hs, "POST", "/api/admin/disconnect", admin, "nope".getBytes()).statusCode()).isEqualTo(400);
    assertThat(a1.closed).isNotDone();

    r = rest(hs, "POST", "/api/admin/disconnect", admin, "{\"document\":\"adm-1\"}".getBytes());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(r.body()).getInteger("disconnected")).isEqualTo(3);
    assertThat(a1.closeCode()).isEqualTo(4403);
    assertThat(b1.closeCode()).isEqualTo(4403);
    assertThat(h1.closeCode()).isEqualTo(4403);
    assertThat(b2.closed).isNotDone();
    assertThat(h2.closed).isNotDone();

    r = rest(hs, "POST", "/api/admin/disconnect", admin, "{\"subject\":\"bob-adm\"}".getBytes());
    assertThat(new JsonObject(r.body()).getInteger("disconnected")).isEqualTo(1);
    assertThat(b2.closeCode()).isEqualTo(4403);
    assertThat(b2.closeReason()).contains("administrator");
    r = rest(hs, "POST", "/api/admin/disconnect", admin, "{\"subject\":\"alice-adm\"}".getBytes());
    assertThat(new JsonObject(r.body()).getInteger("disconnected")).isEqualTo(1);
    assertThat(h2.closeCode()).isEqualTo(4403);
  }

  // ------------------------------------------------------------------------ real providers

  @Test
  void realProvidersAuthenticateAndAReadOnlyOneCannotWrite() throws Exception {
    String doc = "node-auth";
    List<String> args = List.of("auth", "--url", "http://127.0.0.1:" + hs.httpPort(), "--doc", doc,
        "--token-rw", hsToken("n-writer", Map.of(doc, "rw")),
        "--token-ro", hsToken("n-reader", Map.of(doc, "ro")),
        "--token-other", hsToken("n-other", Map.of("elsewhere", "rw")),
        "--secret", SECRET);
    JsonObject result = NodeClients.run(90, args);
    assertThat(result.getString("text")).contains("from-writer").doesNotContain("from-reader");
    // Redis agrees: nothing the read-only clients typed was stored
    assertThat(rest(hs, "GET", "/api/documents/" + doc + "/update", hsToken("n-writer", Map.of(doc, "ro")), null).body())
        .contains("from-writer").doesNotContain("from-reader");
  }

  // ------------------------------------------------------------------------ logs

  @Test
  void tokensNeverAppearInLogs() throws Exception {
    // exercise failures that log (at any level) with a few fresh tokens, then scan everything captured
    String t = hsToken("leak", Map.of("log-doc", "rw"));
    assertRejected(hs, "/ws/other-doc?token=" + q(t), 403, "forbidden");
    WsClient c = hocuspocus(hs);
    c.send(hpToken("log-doc", t + "x"));
    nextAuth(c);
    rest(hs, "GET", "/api/documents/log-doc/update", t + "y", null);
    Thread.sleep(200);
    List<String> tokens = List.copyOf(minted);
    java.util.logging.Formatter text = Logging.formatter(LogFormat.TEXT);
    java.util.logging.Formatter json = Logging.formatter(LogFormat.JSON);
    int withToken = 0;
    List<LogRecord> logged = capture.records();
    assertThat(logged).isNotEmpty();
    for (LogRecord r : logged) {
      // Vert.x Web traces request URIs (with ?token=): what reaches the log is what the formatters write
      String out = text.format(r) + json.format(r);
      String raw = String.valueOf(r.getMessage());
      for (String token : tokens) {
        String signature = token.substring(token.lastIndexOf('.') + 1);
        if (raw.contains(signature)) {
          withToken++;
        }
        assertThat(out).doesNotContain(signature);
      }
    }
    assertThat(withToken).as("records that carried a token before redaction").isPositive();
    assertThat(Logging.redact("GET /ws/d?token=abc.def&x=1 Authorization: Bearer xyz eyJhbGc.eyJzdWIi.c2ln"))
        .isEqualTo("GET /ws/d?token=***&x=1 Authorization: Bearer *** ***");
  }

  @Test
  void authModeNoneWarnsAtStartAndLetsEveryoneIn(EmbeddedRedis redis) throws Exception {
    TandemServer open = TestServers.start(redis, TestServers.freshPrefix(), 0); // --auth.mode=none
    try {
      List<LogRecord> records = capture.records();
      assertThat(records).anySatisfy(r -> {
        assertThat(r.getLevel()).isEqualTo(Level.WARNING);
        assertThat(r.getMessage()).contains("Authentication is OFF");
      });
      yws(open, "open-doc", null).ws.close();
      WsClient c = hocuspocus(open);
      assertThat(hpAuth(c, "open-doc", "")).isEqualTo(AuthorizedScope.READ_WRITE);
      assertThat(rest(open, "GET", "/api/documents", null, null).statusCode()).isEqualTo(200);
      assertThat(rest(open, "POST", "/api/admin/disconnect", null, "{\"document\":\"open-doc\"}".getBytes()).statusCode())
          .isEqualTo(200);
      assertThat(c.closeCode()).isEqualTo(4403);
    } finally {
      open.stop();
    }
  }

  @Test
  void invalidNamesAreStill400BeforeAuthentication() {
    assertThatThrownBy(() -> WsClient.connect(vertx, hs.httpPort(), "/ws/a%7Bb%7D"))
        .isInstanceOfSatisfying(UpgradeRejectedException.class, e -> assertThat(e.getStatus()).isEqualTo(400));
  }
}
