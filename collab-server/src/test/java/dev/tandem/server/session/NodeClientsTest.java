package dev.tandem.server.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.server.TandemServer;
import dev.tandem.server.redis.EmbeddedRedis;
import dev.tandem.server.testing.NodeClients;
import dev.tandem.server.testing.RedisServerExtension;
import dev.tandem.server.testing.TestServers;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Real Node clients (yjs 13.6.33, y-websocket 3.1.0, @hocuspocus/provider 4.8.0, see
 * src/test/node/clients.mjs) against a real server on a real Redis.
 */
@ExtendWith(RedisServerExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class NodeClientsTest {
  private static EmbeddedRedis redis;
  private static TandemServer server;

  @BeforeAll
  static void start(EmbeddedRedis r) throws Exception {
    redis = r;
    server = TestServers.start(r, TestServers.freshPrefix(), 0);
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.stop();
    }
  }

  private static String url(TandemServer s) {
    return "http://127.0.0.1:" + s.httpPort();
  }

  /**
   * Text, map, array and an XML fragment (paragraphs with marked text); the scenario also checks
   * that GET /api/documents/{name} equals every client's doc.toJSON(), and its delta and
   * ProseMirror forms.
   */
  @Test
  void bothProtocolsConvergeOnTextMapArrayAndXmlAndTheServerAgrees() throws Exception {
    JsonObject r = NodeClients.run(90, List.of("converge", "--url", url(server), "--docs", "conv-1,conv-2,conv-3",
        "--clients", "3", "--ops", "40"));
    assertThat(r.getInteger("clients")).isEqualTo(18);
  }

  /**
   * Compaction with the real merge (mergeUpdates) under many concurrent editors: thresholds so low
   * that it runs again and again while they write. At the end a second server that loads the
   * documents from Redis (snapshot + log tail) serves exactly the clients' state.
   */
  @Test
  void compactionUnderConcurrentWritesLosesNothing() throws Exception {
    String prefix = TestServers.freshPrefix();
    TandemServer writer = TestServers.start(redis, prefix, 0, "--compaction.max-entries=12",
        "--compaction.max-bytes=2KiB");
    TandemServer reader = null;
    try {
      reader = TestServers.start(redis, prefix, 0);
      List<String> docs = List.of("compact-1", "compact-2");
      NodeClients.run(100, List.of("converge", "--url", url(writer), "--verify-url", url(reader),
          "--docs", String.join(",", docs), "--clients", "4", "--ops", "40", "--seed", "7"));
      for (String doc : docs) {
        Response version = writer.redis().send(Request.cmd(Command.HGET)
            .arg(writer.store().keys().snapshot(doc)).arg("v")).await(10, TimeUnit.SECONDS);
        assertThat(version).as("compactions of " + doc).isNotNull();
        // appends that queue up behind an in-flight Redis call go out as one batch, so on a slow
        // machine the writes can arrive in few calls: at least two passes ran while they wrote
        assertThat(version.toLong()).as("compactions of " + doc).isGreaterThanOrEqualTo(2);
      }
    } finally {
      if (reader != null) {
        reader.stop();
      }
      writer.stop();
    }
  }

  @Test
  void offlineEditsArriveAfterReconnect() throws Exception {
    NodeClients.run(60, List.of("offline", "--url", url(server), "--doc", "offline-1"));
  }

  @Test
  void awarenessAppearsAndDisappearsWhenSocketsDie() throws Exception {
    JsonObject r = NodeClients.run(60, List.of("awareness", "--url", url(server), "--doc", "aware-1"));
    // far below the 30 s Yjs awareness timeout: the server announced the removal
    assertThat(r.getLong("goneAfterMs")).isLessThan(5000);
  }

  @Test
  void hocuspocusMultiplexesDocumentsAndRelaysStateless() throws Exception {
    NodeClients.run(60, List.of("multiplex", "--url", url(server)));
  }

  @Test
  void lateJoinersGetALargeDocumentWholeWhileItLoads() throws Exception {
    JsonObject w = NodeClients.run(90, List.of("large-write", "--url", url(server), "--doc", "large-1",
        "--chunks", "300", "--chunk-size", "2000"));
    int length = w.getInteger("length");
    // drop the session so the late joiners arrive while the document loads from Redis
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (server.sessions().existing("large-1") != null && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(server.sessions().existing("large-1")).isNull();
    NodeClients.run(60, List.of("large-read", "--url", url(server), "--doc", "large-1",
        "--expect-length", Integer.toString(length)));
  }

  @Test
  void aRestartedServerServesEveryAcknowledgedUpdate() throws Exception {
    String prefix = TestServers.freshPrefix();
    TandemServer[] s = {TestServers.start(redis, prefix, 0)};
    int port = s[0].httpPort();
    try {
      NodeClients.run(90, List.of("restart", "--url", url(s[0]), "--doc", "restart-1"), what -> {
        try {
          // as abrupt as in-process allows: Vert.x (sockets, sessions, Redis client) goes away
          // without the orderly drain of stop()
          s[0].vertx().close().await(20, TimeUnit.SECONDS);
          s[0] = TestServers.start(redis, prefix, port);
          return "restarted";
        } catch (Exception e) {
          throw new RuntimeException(e);
        }
      });
    } finally {
      s[0].stop();
    }
  }
}
