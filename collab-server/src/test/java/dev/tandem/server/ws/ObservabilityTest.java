package dev.tandem.server.ws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.crdt.doc.Doc;
import dev.tandem.server.Logging;
import dev.tandem.server.TandemServer;
import dev.tandem.server.config.LogFormat;
import dev.tandem.server.metrics.Metrics;
import dev.tandem.server.redis.EmbeddedRedis;
import dev.tandem.server.testing.Jwt;
import dev.tandem.server.testing.LogCapture;
import dev.tandem.server.testing.RedisServerExtension;
import dev.tandem.server.testing.TestServers;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code GET /metrics}, the health endpoints, structured logs without tokens or document contents,
 * and the in-process part of the drain (readiness, refused upgrades, 1012 closes, flush).
 */
@ExtendWith(RedisServerExtension.class)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ObservabilityTest {
  static final String SECRET = "obs-test-secret-of-at-least-32-bytes!";
  private static Vertx vertx;
  private static TandemServer server;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start(EmbeddedRedis redis) throws Exception {
    vertx = Vertx.vertx();
    server = TestServers.start(redis, TestServers.freshPrefix(), 0, "--auth.mode=jwt", "--auth.jwt.secret=" + SECRET,
        "--compaction.max-entries=1");
  }

  @AfterAll
  static void stop() throws Exception {
    if (server != null) {
      server.stop();
    }
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  static String token(Map<String, String> docs, boolean admin) {
    return Jwt.hs256(SECRET, "obs-user", docs, admin, 600);
  }

  HttpResponse<String> get(TandemServer s, String path, String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.httpPort() + path));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> post(TandemServer s, String path, String token, byte[] body) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.httpPort() + path))
        .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static double metric(String scrape, String line) {
    for (String l : scrape.split("\n")) {
      if (l.startsWith(line + " ")) {
        return Double.parseDouble(l.substring(line.length() + 1).trim());
      }
    }
    return Double.NaN;
  }

  @Test
  void metricsCoverConnectionsMessagesLatenciesBreakerBufferRefusalsCompactionLagAndJvm() throws Exception {
    String t = token(Map.of("m-*", "rw"), false);
    WsClient c = WsClient.connect(vertx, server.httpPort(), "/ws/m-doc?token=" + URLEncoder.encode(t, StandardCharsets.UTF_8));
    assertThat(c.next()).startsWith(0, 0);
    c.send(WebsocketProtocolTest.update(WebsocketProtocolTest.HELLO));
    assertThat(post(server, "/api/documents/m-doc/update", t, WebsocketProtocolTest.WORLD).statusCode()).isEqualTo(204);
    c.nextStartingWith((byte) 0, (byte) 2); // the REST update relayed
    server.vertx().runOnContext(v -> Metrics.refusal("test_reason")); // the guards' API, on a node thread
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!get(server, "/metrics", null).body().contains("tandem_compactions_total{") && System.nanoTime() < end) {
      Thread.sleep(50);
    }

    HttpResponse<String> r = get(server, "/metrics", null);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type").orElse("")).startsWith("text/plain");
    String m = r.body();
    assertThat(metric(m, "tandem_connections{protocol=\"y-websocket\"}")).isEqualTo(1.0);
    assertThat(metric(m, "tandem_messages_received_total{protocol=\"y-websocket\"}")).isGreaterThanOrEqualTo(1);
    assertThat(metric(m, "tandem_received_bytes_total{protocol=\"y-websocket\"}")).isGreaterThanOrEqualTo(
        WebsocketProtocolTest.HELLO.length);
    assertThat(metric(m, "tandem_messages_sent_total{protocol=\"y-websocket\"}")).isGreaterThanOrEqualTo(2);
    assertThat(metric(m, "tandem_sent_bytes_total{protocol=\"y-websocket\"}")).isPositive();
    assertThat(metric(m, "tandem_documents_loaded")).isGreaterThanOrEqualTo(1);
    assertThat(metric(m, "tandem_update_apply_seconds_count")).isGreaterThanOrEqualTo(2);
    assertThat(metric(m, "tandem_redis_append_seconds_count")).isGreaterThanOrEqualTo(2);
    assertThat(m).contains("tandem_redis_append_seconds_bucket{le=");
    assertThat(metric(m, "tandem_ack_seconds_count{protocol=\"rest\"}")).isGreaterThanOrEqualTo(1);
    assertThat(metric(m, "tandem_redis_breaker_state")).isEqualTo(0.0);
    assertThat(metric(m, "tandem_write_buffer_updates")).isEqualTo(0.0);
    assertThat(m).contains("tandem_write_buffer_bytes ", "tandem_write_buffer_refused_total ");
    assertThat(metric(m, "tandem_guard_refusals_total{reason=\"test_reason\"}")).isEqualTo(1.0);
    assertThat(m).contains("tandem_compaction_seconds_count ", "tandem_event_loop_lag_seconds_count ",
        "tandem_event_loop_lag_max_seconds ", "tandem_draining 0.0", "tandem_capacity_used_ratio{guard=\"write-buffer.updates\"}");
    // JVM, process and Vert.x' own meters
    assertThat(m).contains("jvm_memory_used_bytes{", "jvm_gc_", "jvm_threads_live_threads ", "process_uptime_seconds ",
        "process_cpu_usage ", "vertx_http_server_");
    // no document names or contents in metrics
    assertThat(m).doesNotContain("m-doc", "hello");
    c.ws.close();
  }

  @Test
  void healthEndpoints() throws Exception {
    assertThat(get(server, "/health/live", null).statusCode()).isEqualTo(200);
    HttpResponse<String> ready = get(server, "/health/ready", null);
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(ready.body()).getString("status")).isEqualTo("UP");

    assertThat(get(server, "/api/system/health", null).statusCode()).isEqualTo(401);
    HttpResponse<String> forbidden = get(server, "/api/system/health", token(Map.of("*", "rw"), false));
    assertThat(forbidden.statusCode()).isEqualTo(403);
    assertThat(new JsonObject(forbidden.body()).getString("error")).isEqualTo("forbidden");
    HttpResponse<String> sys = get(server, "/api/system/health", token(Map.of(), true));
    assertThat(sys.statusCode()).isEqualTo(200);
    JsonObject h = new JsonObject(sys.body());
    assertThat(h.getString("status")).isEqualTo("UP");
    assertThat(h.getString("node")).isEqualTo(server.config().nodeId());
    assertThat(h.getString("version")).isNotBlank();
    assertThat(h.getLong("uptimeSeconds")).isNotNegative();
    assertThat(h.getJsonObject("redis").getBoolean("reachable")).isTrue();
    assertThat(h.getJsonObject("redis").getDouble("latencyMs")).isPositive();
    assertThat(h.getJsonObject("redis").getString("breaker")).isEqualTo("CLOSED");
    assertThat(h.getJsonObject("writeBuffer").getLong("maxUpdates")).isEqualTo(server.config().writeBufferMaxUpdates());
    assertThat(h.getInteger("documents")).isNotNegative();
    assertThat(h.getJsonObject("connections").getInteger("total")).isNotNegative();
    JsonArray cap = h.getJsonArray("capacity");
    List<String> guards = new ArrayList<>();
    cap.forEach(o -> guards.add(((JsonObject) o).getString("guard")));
    assertThat(guards).contains("connections", "documents", "write-buffer.updates", "write-buffer.bytes");

    // a guard at its limit: not ready (and said so in the detail)
    server.capacity().register("test-guard", () -> 5, () -> 5);
    try {
      HttpResponse<String> full = get(server, "/health/ready", null);
      assertThat(full.statusCode()).isEqualTo(503);
      assertThat(new JsonObject(full.body()).getString("status")).isEqualTo("AT_CAPACITY");
      assertThat(new JsonObject(full.body()).getString("reason")).contains("test-guard 5/5");
      assertThat(new JsonObject(get(server, "/api/system/health", token(Map.of(), true)).body()).getString("status"))
          .isEqualTo("AT_CAPACITY");
    } finally {
      server.capacity().register("test-guard", () -> 5, () -> 10);
    }
    assertThat(get(server, "/health/ready", null).statusCode()).isEqualTo(200);
    // unknown routes answer JSON
    HttpResponse<String> nf = get(server, "/nope", null);
    assertThat(nf.statusCode()).isEqualTo(404);
    assertThat(new JsonObject(nf.body()).getString("error")).isEqualTo("not_found");
  }

  @Test
  void logsAreOneLinePerEventWithoutTokensOrDocumentContents() throws Exception {
    LogCapture capture = new LogCapture();
    capture.setLevel(Level.ALL);
    Logger root = Logger.getLogger("");
    Level before = root.getLevel();
    Logger tandem = Logger.getLogger("dev.tandem");
    Level tandemBefore = tandem.getLevel();
    root.addHandler(capture);
    tandem.setLevel(Level.FINEST);
    String marker = "Zebra-Contents-" + System.nanoTime();
    String t = token(Map.of("log-*", "rw"), false);
    try {
      // a token in the URL, an edit with recognisable contents, bad input that logs, a refused token
      Doc d = new Doc(4242, true);
      d.getText("text").insert(0, marker);
      WsClient c = WsClient.connect(vertx, server.httpPort(), "/ws/log-doc?token=" + URLEncoder.encode(t, StandardCharsets.UTF_8));
      assertThat(c.next()).startsWith(0, 0);
      c.send(WebsocketProtocolTest.update(d.encodeStateAsUpdate()));
      assertThat(post(server, "/api/documents/log-doc/update", t, d.encodeStateAsUpdate()).statusCode()).isEqualTo(204);
      byte[] full = d.encodeStateAsUpdate();
      // a corrupt update carrying the marker (cut short inside a well-formed message): 1003
      c.send(WebsocketProtocolTest.update(java.util.Arrays.copyOf(full, full.length - 4)));
      c.closeCode();
      assertThat(get(server, "/api/documents/log-doc/update", t + "x").statusCode()).isEqualTo(401);
      Logging.event(Logger.getLogger("dev.tandem.test"), Level.INFO, "test.event", "token", "Bearer " + t, "n", 3);
      Thread.sleep(300);
    } finally {
      root.removeHandler(capture);
      tandem.setLevel(tandemBefore);
      root.setLevel(before);
    }
    java.util.logging.Formatter text = Logging.formatter(LogFormat.TEXT);
    java.util.logging.Formatter json = Logging.formatter(LogFormat.JSON);
    String signature = t.substring(t.lastIndexOf('.') + 1);
    List<LogRecord> copy = capture.records();
    assertThat(copy).isNotEmpty();
    for (LogRecord r : copy) {
      for (String out : List.of(text.format(r), json.format(r))) {
        assertThat(out).as("one line per event").endsWith("\n").doesNotContain("\r");
        assertThat(out.substring(0, out.length() - 1)).doesNotContain("\n");
        assertThat(out).doesNotContain(signature).doesNotContain(marker);
      }
      String line = text.format(r);
      assertThat(line).startsWith("ts=").contains(" level=", " logger=");
      new JsonObject(json.format(r)); // parses
    }
    LogRecord event = copy.stream().filter(r -> "test.event".equals(r.getMessage())).findFirst().orElseThrow();
    assertThat(text.format(event)).contains("event=test.event", "token=\"Bearer ***\"", "n=3");
    JsonObject je = new JsonObject(json.format(event));
    assertThat(je.getString("event")).isEqualTo("test.event");
    assertThat(je.getInteger("n")).isEqualTo(3);
  }
}
