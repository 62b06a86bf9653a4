package dev.tandem.server.ws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.crdt.doc.Doc;
import dev.tandem.crdt.protocol.AwarenessCodec;
import dev.tandem.crdt.protocol.AwarenessEntry;
import dev.tandem.crdt.protocol.AwarenessUpdate;
import dev.tandem.crdt.protocol.SyncMessage;
import dev.tandem.crdt.protocol.hocuspocus.HocuspocusAuth;
import dev.tandem.crdt.protocol.hocuspocus.HocuspocusEncoder;
import dev.tandem.crdt.protocol.hocuspocus.HocuspocusMessage;
import dev.tandem.crdt.protocol.ywebsocket.YWebsocketCodec;
import dev.tandem.crdt.protocol.ywebsocket.YWebsocketMessage;
import dev.tandem.server.TandemServer;
import dev.tandem.server.redis.EmbeddedRedis;
import dev.tandem.server.store.StoredDocument;
import dev.tandem.server.testing.Jwt;
import dev.tandem.server.testing.NodeClients;
import dev.tandem.server.testing.RedisServerExtension;
import dev.tandem.server.testing.TestServers;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Bad input against a running server (JWT auth on): more than 10,000 random and mutated frames over
 * both websocket protocols (random bytes, mutated valid messages, huge var-ints, truncated
 * messages, frames for documents the token does not open, oversize payloads, text frames). Every
 * socket the server closes gets a close code from the documented set ({@code docs/protocol.md});
 * every socket that ends with a frame that is certainly bad is closed. Meanwhile real Node clients
 * edit other documents and converge, and afterwards the stored documents nobody was allowed to edit
 * are byte-for-byte what they were. Then REST: random methods, names, queries, headers and bodies
 * get only documented JSON errors, never a 500, and change nothing stored.
 *
 * <p>Seeded: {@code -Dfuzz.seed=N} repeats a run; the seed is printed at start and on failure.
 */
@ExtendWith(RedisServerExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ServerFuzzTest {
  static final String SECRET = "fuzz-test-secret-of-at-least-32-bytes";
  /** Close codes docs/protocol.md documents for bad input (plus 4410 when a fuzzed REST DELETE hits a fuzz document). */
  static final Set<Integer> DOCUMENTED_CLOSE = Set.of(1002, 1003, 1008, 1009, 4410);
  /** Statuses docs/protocol.md documents for REST. */
  static final Set<Integer> DOCUMENTED_STATUS = Set.of(200, 204, 400, 401, 403, 404, 405, 413, 422);
  static final int MIN_FRAMES = 10_000;
  static final int MAX_MESSAGE = 64 * 1024;
  static final List<String> VICTIMS = List.of("victim-1", "victim/2", "ro-doc");
  static final List<String> FUZZ_DOCS = List.of("fuzz-1", "fuzz-2", "fuzz-3", "fuzz-ä");

  private static Vertx vertx;
  private static TandemServer server;
  private static String fuzzToken;
  private static String adminToken;
  private static List<byte[]> validUpdates;

  @BeforeAll
  static void start(EmbeddedRedis redis) throws Exception {
    vertx = Vertx.vertx();
    server = TestServers.start(redis, TestServers.freshPrefix(), 0, "--auth.mode=jwt", "--auth.jwt.secret=" + SECRET,
        "--ws.max-message-size=" + MAX_MESSAGE, "--compaction.max-entries=50");
    fuzzToken = Jwt.hs256(SECRET, "fuzzer", Map.of("fuzz-*", "rw", "control-*", "rw", "ro-doc", "ro"), false, 3600);
    adminToken = Jwt.hs256(SECRET, "admin", Map.of(), true, 3600);
    // a few real updates to build valid frames from (a text, a map entry, a delete)
    Doc d = new Doc(777, true);
    validUpdates = new ArrayList<>();
    byte[] sv = d.encodeStateVector();
    for (int i = 0; i < 6; i++) {
      d.getText("text").insert(0, "fuzz" + i);
      if (i == 3) {
        d.getText("text").delete(1, 2);
      }
      validUpdates.add(d.encodeStateAsUpdate(sv));
      sv = d.encodeStateVector();
    }
    validUpdates.add(d.encodeStateAsUpdate());
  }

  @AfterAll
  static void stop() throws Exception {
    if (server != null) {
      server.stop();
    }
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void badFramesAndRequestsCloseWithDocumentedCodesAndChangeNothing() throws Exception {
    long seed = Long.getLong("fuzz.seed", System.nanoTime());
    System.out.println("ServerFuzzTest seed " + seed + " (repeat with -Dfuzz.seed=" + seed + ")");
    try {
      run(seed);
    } catch (AssertionError | Exception e) {
      throw new AssertionError("ServerFuzzTest failed with seed " + seed + " (repeat with -Dfuzz.seed=" + seed + "): "
          + e.getMessage(), e);
    }
  }

  private void run(long seed) throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    // victims: stored before, never to change (nobody but the admin may write them)
    for (String v : VICTIMS) {
      for (byte[] u : validUpdates.subList(0, 3)) {
        HttpResponse<String> r = rest(http, "POST", "/api/documents/" + URLEncoder.encode(v, StandardCharsets.UTF_8)
            .replace("+", "%20") + "/update", adminToken, u, Map.of());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(204);
      }
    }
    Map<String, byte[]> before = stored(VICTIMS);
    long t0 = System.nanoTime();

    // the control: real clients of both protocols edit their own documents throughout
    CompletableFuture<JsonObject> control = CompletableFuture.supplyAsync(() -> {
      try {
        return NodeClients.run(90, List.of("converge", "--url", "http://127.0.0.1:" + server.httpPort(),
            "--docs", "control-a,control-b", "--clients", "2", "--ops", "400", "--token", fuzzToken, "--seed",
            Long.toString(seed & 0xffff)));
      } catch (Exception e) {
        throw new RuntimeException(e);
      }
    });

    // websockets: 8 workers, each socket gets a run of frames, then (mostly) a certainly-bad one
    AtomicInteger frames = new AtomicInteger();
    AtomicInteger sockets = new AtomicInteger();
    AtomicInteger closedByServer = new AtomicInteger();
    AtomicInteger refusedUpgrades = new AtomicInteger();
    Map<Integer, AtomicInteger> codes = new ConcurrentHashMap<>();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<?>> workers = new ArrayList<>();
    for (int w = 0; w < 8; w++) {
      Random rnd = new Random(seed * 31 + w);
      workers.add(pool.submit(() -> {
        while (frames.get() < MIN_FRAMES) {
          boolean hocuspocus = rnd.nextBoolean();
          String doc = pickDoc(rnd);
          WsClient c;
          try {
            c = hocuspocus ? WsClient.connect(vertx, server.httpPort(), "/hocuspocus")
                : WsClient.connect(vertx, server.httpPort(), "/ws/" + URLEncoder.encode(doc, StandardCharsets.UTF_8)
                    .replace("+", "%20") + "?token=" + fuzzToken);
          } catch (Exception e) {
            Throwable cause = e instanceof java.util.concurrent.ExecutionException ? e.getCause() : e;
            if (!hocuspocus && VICTIMS.contains(doc) && !doc.equals("ro-doc") && cause instanceof UpgradeRejectedException u) {
              assertThat(u.getStatus()).isEqualTo(403); // a document the token does not open: refused before the upgrade
              refusedUpgrades.incrementAndGet();
              continue;
            }
            throw new AssertionError("upgrade of " + (hocuspocus ? "/hocuspocus" : doc) + " failed", e);
          }
          sockets.incrementAndGet();
          if (hocuspocus) {
            // authenticate some keys first so that later frames reach the sessions
            for (String key : FUZZ_DOCS.subList(0, 1 + rnd.nextInt(FUZZ_DOCS.size()))) {
              c.send(HocuspocusEncoder.encode(key, new HocuspocusMessage.Auth(new HocuspocusAuth.Token(fuzzToken, "4.8.0"))));
              frames.incrementAndGet();
            }
            if (rnd.nextInt(4) == 0) { // a key the token does not open: PermissionDenied, later frames dropped
              c.send(HocuspocusEncoder.encode(VICTIMS.get(rnd.nextInt(2)), new HocuspocusMessage.Auth(
                  new HocuspocusAuth.Token(fuzzToken, "4.8.0"))));
              frames.incrementAndGet();
            }
          }
          // a third of the sockets send well-formed frames only, so that their certainly-bad last
          // frame is what closes them (every kind of bad frame gets its turn)
          boolean mutating = rnd.nextInt(3) != 0;
          int n = 5 + rnd.nextInt(40);
          for (int i = 0; i < n && !c.closed.isDone(); i++) {
            byte[] f = hocuspocus ? hocuspocusFrame(rnd, mutating) : yFrame(rnd, mutating);
            if (mutating && rnd.nextInt(200) == 0) {
              c.ws.writeTextMessage("text frames are not part of either protocol");
            } else {
              c.send(mutating ? mutate(rnd, f) : f);
            }
            frames.incrementAndGet();
          }
          boolean certainlyBad = rnd.nextInt(5) != 0;
          if (certainlyBad && !c.closed.isDone()) {
            sendCertainlyBad(rnd, c, hocuspocus);
            frames.incrementAndGet();
          }
          Integer code = null;
          try {
            code = certainlyBad ? c.closed.get(10, TimeUnit.SECONDS) : c.closed.getNow(null);
          } catch (Exception e) {
            throw new AssertionError("a socket that sent a bad frame was not closed within 10 s", e);
          }
          if (code != null) {
            closedByServer.incrementAndGet();
            codes.computeIfAbsent(code, k -> new AtomicInteger()).incrementAndGet();
            assertThat(DOCUMENTED_CLOSE).as("close code " + code + " (" + c.closeReason() + ")").contains(code);
          } else {
            c.ws.close();
          }
        }
        return null;
      }));
    }
    for (Future<?> f : workers) {
      try {
        f.get(90, TimeUnit.SECONDS);
      } catch (java.util.concurrent.ExecutionException e) {
        throw e.getCause() instanceof AssertionError a ? a : new AssertionError(e.getCause());
      }
    }
    pool.shutdownNow();
    long wsMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);

    // REST
    Random rnd = new Random(seed ^ 0x5eed);
    Map<Integer, Integer> statuses = new LinkedHashMap<>();
    int requests = 1500;
    for (int i = 0; i < requests; i++) {
      String method = pick(rnd, "GET", "GET", "POST", "POST", "DELETE", "PUT", "PATCH", "HEAD", "OPTIONS");
      String path = restPath(rnd);
      String token = pick(rnd, fuzzToken, fuzzToken, fuzzToken, null, "garbage", fuzzToken + "x", "");
      Map<String, String> headers = randomHeaders(rnd);
      byte[] body = method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS") ? null : restBody(rnd);
      HttpResponse<String> r;
      try {
        r = rest(http, method, path, token, body, headers);
      } catch (IllegalArgumentException e) {
        continue; // the client itself refuses the request (e.g. a path it cannot send)
      }
      statuses.merge(r.statusCode(), 1, Integer::sum);
      String what = method + " " + path + " -> " + r.statusCode() + " " + r.body();
      assertThat(r.statusCode()).as(what).isNotEqualTo(500);
      assertThat(DOCUMENTED_STATUS).as(what).contains(r.statusCode());
      if (r.statusCode() >= 400 && !method.equals("HEAD")) {
        assertThat(r.headers().firstValue("content-type").orElse("")).as(what).startsWith("application/json");
        assertThat(new JsonObject(r.body()).getString("error")).as(what).isNotBlank();
      }
    }

    JsonObject c = control.get(90, TimeUnit.SECONDS);
    assertThat(c.getBoolean("ok")).as(c.encode()).isTrue();
    // the server still serves, and nothing the fuzzer was not allowed to write changed
    assertThat(server.sessions().writeBuffer().updates()).isNotNegative();
    Map<String, byte[]> after = stored(VICTIMS);
    for (String v : VICTIMS) {
      assertThat(after.get(v)).as("stored " + v).isEqualTo(before.get(v));
    }
    HttpResponse<String> ready = rest(http, "GET", "/health/ready", null, null, Map.of());
    assertThat(ready.statusCode()).isEqualTo(200);
    System.out.println("ServerFuzzTest: " + frames.get() + " frames on " + sockets.get() + " sockets in " + wsMillis
        + " ms (" + closedByServer.get() + " closed by the server, codes " + codes + ", " + refusedUpgrades.get()
        + " upgrades refused with 403); REST statuses " + statuses + "; control " + c.encode());
    assertThat(frames.get()).isGreaterThanOrEqualTo(MIN_FRAMES);
    assertThat(codes.keySet()).contains(1002, 1003, 1009);
  }

  // ------------------------------------------------------------------------------ frames

  static String pickDoc(Random rnd) {
    int r = rnd.nextInt(10);
    return r < 7 ? FUZZ_DOCS.get(rnd.nextInt(FUZZ_DOCS.size())) : VICTIMS.get(rnd.nextInt(VICTIMS.size()));
  }

  @SafeVarargs
  static <T> T pick(Random rnd, T... options) {
    return options[rnd.nextInt(options.length)];
  }

  byte[] validUpdate(Random rnd) {
    return validUpdates.get(rnd.nextInt(validUpdates.size()));
  }

  byte[] awareness(Random rnd) {
    return AwarenessCodec.encode(AwarenessUpdate.of(new AwarenessEntry(rnd.nextInt(1000), rnd.nextInt(50),
        pick(rnd, "{\"user\":\"fuzz\"}", "null", "{}", "[1,2]"))));
  }

  SyncMessage sync(Random rnd) {
    return switch (rnd.nextInt(3)) {
      case 0 -> new SyncMessage.Step1(pick(rnd, new byte[] {0}, HexFormat.of().parseHex("01e8070b"), randomBytes(rnd, 8)));
      case 1 -> new SyncMessage.Step2(validUpdate(rnd));
      default -> new SyncMessage.Update(validUpdate(rnd));
    };
  }

  byte[] yFrame(Random rnd, boolean random) {
    return switch (rnd.nextInt(random ? 6 : 5)) {
      case 0, 1, 2 -> YWebsocketCodec.encode(new YWebsocketMessage.Sync(sync(rnd)));
      case 3 -> concat(new byte[] {1}, lengthPrefixed(awareness(rnd)));
      case 4 -> new byte[] {3};
      default -> randomBytes(rnd, rnd.nextInt(64));
    };
  }

  byte[] hocuspocusFrame(Random rnd, boolean random) {
    String key = rnd.nextInt(5) == 0 ? VICTIMS.get(rnd.nextInt(VICTIMS.size())) : FUZZ_DOCS.get(rnd.nextInt(FUZZ_DOCS.size()));
    HocuspocusMessage m = switch (rnd.nextInt(random ? 8 : 7)) {
      case 0, 1, 2 -> new HocuspocusMessage.Sync(sync(rnd));
      case 3 -> new HocuspocusMessage.QueryAwareness();
      case 4 -> new HocuspocusMessage.Stateless("fuzz " + rnd.nextInt());
      case 5 -> new HocuspocusMessage.Auth(new HocuspocusAuth.Token(pick(rnd, fuzzToken, "garbage", ""), "4.8.0"));
      case 6 -> new HocuspocusMessage.CloseRequest();
      default -> null;
    };
    if (m == null) {
      return randomBytes(rnd, rnd.nextInt(64));
    }
    return HocuspocusEncoder.encode(key, m);
  }

  /** Leaves most frames intact, damages the rest: bit flips, cuts, junk, spliced huge var-ints. */
  static byte[] mutate(Random rnd, byte[] f) {
    switch (rnd.nextInt(8)) {
      case 0, 1, 2:
        return f;
      case 3: { // flip bytes
        byte[] g = f.clone();
        for (int i = 0; i < 1 + rnd.nextInt(3) && g.length > 0; i++) {
          g[rnd.nextInt(g.length)] ^= (byte) (1 + rnd.nextInt(255));
        }
        return g;
      }
      case 4: // truncate
        return Arrays.copyOf(f, f.length == 0 ? 0 : rnd.nextInt(f.length));
      case 5: // junk at the end
        return concat(f, randomBytes(rnd, 1 + rnd.nextInt(8)));
      case 6: { // a huge var-int spliced in
        int at = f.length == 0 ? 0 : rnd.nextInt(f.length);
        return concat(Arrays.copyOf(f, at), hugeVarInt(rnd), Arrays.copyOfRange(f, at, f.length));
      }
      default: // insert/delete a byte
        if (f.length > 1 && rnd.nextBoolean()) {
          int at = rnd.nextInt(f.length);
          return concat(Arrays.copyOf(f, at), Arrays.copyOfRange(f, at + 1, f.length));
        }
        return concat(f, new byte[] {(byte) rnd.nextInt(256)});
    }
  }

  void sendCertainlyBad(Random rnd, WsClient c, boolean hocuspocus) {
    String key = FUZZ_DOCS.get(0);
    switch (rnd.nextInt(6)) {
      case 0 -> c.send(new byte[MAX_MESSAGE + 1 + rnd.nextInt(1000)]); // oversize: 1009
      case 1 -> c.ws.writeTextMessage("{\"not\": \"binary\"}"); // 1003
      case 2 -> c.send(hocuspocus ? concat(varString(key), new byte[] {(byte) 0xc8, 1}) : new byte[] {(byte) 0xc8, 1, 2}); // unknown type
      case 3 -> c.send(hocuspocus ? concat(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x0f}, new byte[] {0})
          : concat(new byte[] {0, 2}, hugeVarInt(rnd))); // a huge length
      case 4 -> c.send(hocuspocus ? concat(varString(key), new byte[] {0, 2, 50, 1}) : new byte[] {0, 2, 50, 1}); // truncated
      default -> c.send(hocuspocus ? concat(varString(key), new byte[] {0}) : new byte[] {0}); // message cut after its type
    }
  }

  static byte[] hugeVarInt(Random rnd) {
    byte[] b = new byte[6 + rnd.nextInt(6)];
    Arrays.fill(b, (byte) 0xff);
    b[b.length - 1] = (byte) (rnd.nextBoolean() ? 0x7f : 0xff);
    return b;
  }

  static byte[] varString(String s) {
    return lengthPrefixed(s.getBytes(StandardCharsets.UTF_8));
  }

  static byte[] lengthPrefixed(byte[] b) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    long n = b.length;
    while (n >= 0x80) {
      out.write((int) (n & 0x7f) | 0x80);
      n >>>= 7;
    }
    out.write((int) n);
    out.writeBytes(b);
    return out.toByteArray();
  }

  static byte[] randomBytes(Random rnd, int n) {
    byte[] b = new byte[n];
    rnd.nextBytes(b);
    return b;
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  // ------------------------------------------------------------------------------ REST

  String restPath(Random rnd) {
    String name = switch (rnd.nextInt(10)) {
      case 0 -> VICTIMS.get(rnd.nextInt(VICTIMS.size()));
      case 1 -> "fuzz-r" + rnd.nextInt(5);
      case 2 -> "%" + Integer.toHexString(rnd.nextInt(256)) + "x%zz";
      case 3 -> "a".repeat(200 + rnd.nextInt(200));
      case 4 -> pick(rnd, "..", ".", "fuzz-r%2F..%2Fvictim-1", "%7Bfuzz%7D", "fuzz-r%00", "%C3%28", "fuzz-r%20");
      case 5 -> URLEncoder.encode(new String(randomBytes(rnd, 1 + rnd.nextInt(20)), StandardCharsets.ISO_8859_1),
          StandardCharsets.UTF_8).replace("+", "%20");
      default -> "fuzz-r" + HexFormat.of().formatHex(randomBytes(rnd, 3));
    };
    String query = switch (rnd.nextInt(6)) {
      case 0 -> "?sv=" + pick(rnd, "AQ", "!!!", "AeoHCw==", "%zz", "");
      case 1 -> "?v=" + pick(rnd, "2", "1", "3", "x");
      case 2 -> "?format=" + pick(rnd, "delta", "prosemirror", "json", "xml", "");
      default -> "";
    };
    return switch (rnd.nextInt(12)) {
      case 0 -> "/api/documents?prefix=" + pick(rnd, "fuzz", "%zz", "", "victim") + "&limit=" + pick(rnd, "0", "5", "-1", "x", "100000")
          + "&cursor=" + pick(rnd, "", "zz", "%C3%28");
      case 1 -> "/api/admin/disconnect";
      case 2 -> "/api/system/health";
      case 3 -> "/api/" + pick(rnd, "x", "documents/", "documents//update", "");
      case 4, 5, 6 -> "/api/documents/" + name + "/update" + query;
      default -> "/api/documents/" + name + query;
    };
  }

  byte[] restBody(Random rnd) {
    return switch (rnd.nextInt(6)) {
      case 0 -> new byte[0];
      case 1 -> "{\"document\": \"victim-1\"}".getBytes(StandardCharsets.UTF_8);
      case 2 -> randomBytes(rnd, rnd.nextInt(300));
      case 3 -> mutate(rnd, validUpdate(rnd));
      case 4 -> new byte[MAX_MESSAGE + 1 + rnd.nextInt(100)];
      default -> validUpdate(rnd);
    };
  }

  static Map<String, String> randomHeaders(Random rnd) {
    Map<String, String> h = new LinkedHashMap<>();
    if (rnd.nextBoolean()) {
      h.put("Content-Type", pick(rnd, "application/octet-stream", "application/json", "text/plain; charset=utf-8",
          "multipart/form-data; boundary=x", "application/x-www-form-urlencoded", "??"));
    }
    if (rnd.nextInt(4) == 0) {
      h.put("Accept", pick(rnd, "*/*", "application/json", "text/html", "x/y;q=0"));
    }
    if (rnd.nextInt(4) == 0) {
      h.put("X-Fuzz-" + rnd.nextInt(100), HexFormat.of().formatHex(randomBytes(rnd, rnd.nextInt(40))));
    }
    if (rnd.nextInt(8) == 0) {
      h.put("Content-Encoding", pick(rnd, "gzip", "br", "identity", "zz"));
    }
    return h;
  }

  HttpResponse<String> rest(HttpClient http, String method, String path, String token, byte[] body,
      Map<String, String> headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + path))
        .timeout(Duration.ofSeconds(20))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    if (token != null) {
      b.header("Authorization", token.isEmpty() ? "Basic Zm9vOmJhcg==" : "Bearer " + token);
    }
    headers.forEach(b::header);
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Each document's stored bytes (snapshot and log entries, in order) straight from Redis. */
  static Map<String, byte[]> stored(List<String> docs) throws Exception {
    Map<String, byte[]> out = new LinkedHashMap<>();
    for (String d : docs) {
      StoredDocument s = server.store().load(d).await(10, TimeUnit.SECONDS);
      ByteArrayOutputStream b = new ByteArrayOutputStream();
      for (Buffer u : s.updates()) {
        b.writeBytes(lengthPrefixed(u.getBytes()));
      }
      out.put(d, b.toByteArray());
    }
    return out;
  }
}
