package dev.tandem.server.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.crdt.update.Updates;
import dev.tandem.server.TandemServer;
import dev.tandem.server.config.FsyncPolicy;
import dev.tandem.server.redis.EmbeddedRedis;
import dev.tandem.server.store.RedisDocumentStore;
import dev.tandem.server.store.StoreOptions;
import dev.tandem.server.store.StoredDocument;
import dev.tandem.server.testing.NodeClients;
import dev.tandem.server.testing.RedisServerExtension;
import dev.tandem.server.testing.TestServers;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Redis;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Degraded mode end to end (architecture invariants 2 and 6): real Node clients (y-websocket and
 * Hocuspocus) edit several documents concurrently, the Redis process is killed in the middle, editing
 * goes on, Redis is restarted on the same port and data, and every update ends up in Redis.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class RedisOutageTest {
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private Path dir;
  private EmbeddedRedis redis;
  private TandemServer server;

  @AfterEach
  void cleanUp() throws Exception {
    if (server != null) {
      server.stop();
    }
    if (redis != null) {
      redis.stop();
    }
    if (dir != null) {
      RedisServerExtension.deleteTree(dir);
    }
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + path))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void redisKilledDuringConcurrentEditingLosesNothingAndAcknowledgementsWait() throws Exception {
    dir = Files.createTempDirectory("tandem-outage");
    redis = EmbeddedRedis.start(new EmbeddedRedis.Options(dir).withFsync(FsyncPolicy.EVERYSEC));
    String prefix = TestServers.freshPrefix();
    server = TestServers.start(redis, prefix, 0, "--redis.breaker.max-failures=2", "--redis.breaker.timeout=1s",
        "--redis.breaker.reset-timeout=300ms", "--session.eviction-grace=30s");
    List<String> docs = List.of("out-1", "out-2", "out-3");
    List<String> checks = new ArrayList<>();

    NodeClients.run(80, List.of("outage", "--url", "http://127.0.0.1:" + server.httpPort(), "--docs",
        String.join(",", docs), "--ops", "15", "--fresh-doc", "out-fresh"), what -> {
          try {
            if (what.equals("kill")) {
              redis.kill();
              return "killed";
            }
            if (what.equals("restart")) {
              // degraded: the breaker opened, readiness says why, updates wait in the buffer
              awaitState(CircuitBreakerState.CLOSED, false);
              HttpResponse<String> ready = get("/health/ready");
              assertThat(ready.statusCode()).isEqualTo(503);
              JsonObject body = new JsonObject(ready.body());
              assertThat(body.getString("status")).isEqualTo("DEGRADED");
              assertThat(body.getString("reason")).contains("redis unavailable");
              assertThat(body.getJsonObject("writeBuffer").getLong("updates")).isPositive();
              assertThat(server.sessions().writeBuffer().updates()).isPositive();
              // a document that is not loaded: 503 with Retry-After, not an empty document
              HttpResponse<String> unloaded = get("/api/documents/out-never-loaded/update");
              assertThat(unloaded.statusCode()).isEqualTo(503);
              assertThat(unloaded.headers().firstValue("retry-after")).isPresent();
              assertThat(new JsonObject(unloaded.body()).getString("error")).isEqualTo("storage_unavailable");
              checks.add("degraded");
              redis.restart(); // same port, same data directory
              return "restarted";
            }
            if (what.startsWith("stored ")) {
              awaitState(CircuitBreakerState.CLOSED, true);
              JsonObject stored = new JsonObject();
              for (String d : what.substring("stored ".length()).split(",")) {
                stored.put(d, Base64.getEncoder().encodeToString(readFromRedis(prefix, d)));
              }
              return stored.encode();
            }
            throw new IllegalStateException("unexpected " + what);
          } catch (Exception e) {
            throw new RuntimeException(e);
          }
        });
    assertThat(checks).containsExactly("degraded");
    assertThat(server.sessions().writeBuffer().updates()).isZero();
    assertThat(get("/health/ready").statusCode()).isEqualTo(200);
  }

  private void awaitState(CircuitBreakerState state, boolean equal) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while ((server.redisGuard().state() == state) != equal && System.nanoTime() < end) {
      Thread.sleep(20);
    }
    assertThat(server.redisGuard().state() == state).as("breaker " + server.redisGuard().state()).isEqualTo(equal);
  }

  /** What Redis holds for the document, read with a fresh client (not through the server), merged. */
  private byte[] readFromRedis(String prefix, String doc) throws Exception {
    Vertx v = Vertx.vertx();
    try {
      Redis client = Redis.createClient(v, redis.connectionString());
      RedisDocumentStore store = new RedisDocumentStore(v, client,
          new StoreOptions(prefix, 1_000_000, 1L << 40, 10_000, Duration.ofSeconds(30)), Updates::mergeUpdates);
      StoredDocument d = store.load(doc).await(10, TimeUnit.SECONDS);
      List<byte[]> parts = new ArrayList<>();
      for (Buffer b : d.updates()) {
        parts.add(b.getBytes());
      }
      assertThat(parts).isNotEmpty();
      return Updates.mergeUpdates(parts);
    } finally {
      v.close().await(10, TimeUnit.SECONDS);
    }
  }
}
