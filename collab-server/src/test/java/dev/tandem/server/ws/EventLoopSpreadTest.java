package dev.tandem.server.ws;

import static dev.tandem.server.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.crdt.protocol.SyncMessage;
import dev.tandem.crdt.protocol.ywebsocket.YWebsocketCodec;
import dev.tandem.crdt.protocol.ywebsocket.YWebsocketMessage;
import dev.tandem.server.TandemServer;
import dev.tandem.server.redis.EmbeddedRedis;
import dev.tandem.server.session.DocumentSession;
import dev.tandem.server.session.SessionManager;
import dev.tandem.server.store.StoredDocument;
import dev.tandem.server.store.UpdateOrigin;
import dev.tandem.server.testing.RedisServerExtension;
import dev.tandem.server.testing.TestServers;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The node uses every event loop: HTTP server instances per loop (sockets spread), one session
 * context per loop (documents spread), relayed frames shared between receivers; and a tiny Redis
 * client pool does not make documents that load at once fail.
 */
@ExtendWith(RedisServerExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EventLoopSpreadTest {
  private static final int LOOPS = 4;
  private static Vertx vertx;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private static String threadOf(Context c) {
    Promise<String> p = Promise.promise();
    c.runOnContext(v -> p.complete(Thread.currentThread().getName()));
    return await(p.future());
  }

  private static WsClient open(TandemServer s, String doc) throws Exception {
    WsClient c = WsClient.connect(vertx, s.httpPort(), "/ws/" + doc);
    assertThat(c.next()).startsWith(0, 0); // the server's SyncStep1 (the document is loaded)
    return c;
  }

  @Test
  void sessionsAndSocketsSpreadOverDistinctEventLoops(EmbeddedRedis redis) throws Exception {
    TandemServer server = TestServers.start(redis, TestServers.freshPrefix(), 0, "--server.event-loops=" + LOOPS);
    List<WsClient> clients = new ArrayList<>();
    try {
      // one session context per event loop, each on its own thread
      Set<String> contextThreads = new HashSet<>();
      for (Context c : server.sessions().contexts()) {
        contextThreads.add(threadOf(c));
      }
      assertThat(server.sessions().contexts()).hasSize(LOOPS);
      assertThat(contextThreads).hasSize(LOOPS).allMatch(n -> n.startsWith("vert.x-eventloop-thread-"));

      List<String> docs = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        docs.add("spread-" + i);
        clients.add(open(server, "spread-" + i));
      }
      Set<String> sessionThreads = new HashSet<>();
      for (String d : docs) {
        DocumentSession s = server.sessions().existing(d);
        assertThat(s).isNotNull();
        sessionThreads.add(threadOf(s.context()));
      }
      // 16 names hashed over 4 contexts: several loops hold sessions
      assertThat(sessionThreads).hasSizeGreaterThanOrEqualTo(2);
      assertThat(contextThreads).containsAll(sessionThreads);

      // the HTTP server instances accept in turn: sockets land on every loop
      List<String> socketThreads = await(server.endpoints().socketThreads());
      assertThat(socketThreads).hasSize(16);
      assertThat(new HashSet<>(socketThreads)).hasSize(LOOPS);

      // a relay whose receivers sit on other loops than the session still arrives, byte-identical
      WsClient a = clients.get(0);
      WsClient b = open(server, docs.get(0));
      WsClient c = open(server, docs.get(0));
      clients.add(b);
      clients.add(c);
      a.send(WebsocketProtocolTest.update(WebsocketProtocolTest.HELLO));
      byte[] atB = b.nextStartingWith((byte) 0, (byte) 2);
      byte[] atC = c.nextStartingWith((byte) 0, (byte) 2);
      assertThat(atB).isEqualTo(atC);
      YWebsocketMessage m = YWebsocketCodec.decode(atB);
      assertThat(((SyncMessage.Update) ((YWebsocketMessage.Sync) m).message()).payload())
          .isEqualTo(WebsocketProtocolTest.HELLO);
    } finally {
      for (WsClient c : clients) {
        c.ws.close();
      }
      server.stop();
    }
  }

  @Test
  void manyDocumentsLoadAtOnceWithATinyRedisPool(EmbeddedRedis redis) throws Exception {
    String prefix = TestServers.freshPrefix();
    int docs = 40;
    // documents with content, written straight to Redis
    TandemServer writer = TestServers.start(redis, prefix, 0);
    try {
      List<Future<String>> writes = new ArrayList<>();
      for (int i = 0; i < docs; i++) {
        writes.add(writer.store().append("pool-" + i, Buffer.buffer(WebsocketProtocolTest.HELLO), new UpdateOrigin("t", "t")));
      }
      await(Future.all(writes));
    } finally {
      writer.stop();
    }
    // one pooled connection, one waiter: most commands find the pool full
    TandemServer server = TestServers.start(redis, prefix, 0, "--redis.pool.size=1", "--redis.pool.waiting=1");
    List<WsClient> clients = new ArrayList<>();
    try {
      ExecutorService pool = Executors.newFixedThreadPool(docs);
      try {
        List<java.util.concurrent.Future<WsClient>> connecting = new ArrayList<>();
        for (int i = 0; i < docs; i++) {
          String uri = "/ws/pool-" + i;
          connecting.add(pool.submit(() -> WsClient.connect(vertx, server.httpPort(), uri)));
        }
        for (java.util.concurrent.Future<WsClient> f : connecting) {
          clients.add(f.get(30, TimeUnit.SECONDS));
        }
      } finally {
        pool.shutdown();
      }
      for (WsClient c : clients) {
        c.send(WebsocketProtocolTest.step1(WebsocketProtocolTest.EMPTY_SV));
        c.send(WebsocketProtocolTest.update(WebsocketProtocolTest.WORLD)); // appends compete for the pool too
      }
      for (WsClient c : clients) {
        byte[] step2 = c.nextStartingWith((byte) 0, (byte) 1);
        SyncMessage.Step2 s2 = (SyncMessage.Step2) ((YWebsocketMessage.Sync) YWebsocketCodec.decode(step2)).message();
        assertThat(s2.payload().length).as("document content loaded").isGreaterThan(10);
      }
      // every update reaches Redis despite the busy pool; nobody was closed (no 1011 / 1013)
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      for (int i = 0; i < docs; i++) {
        StoredDocument d = null;
        do {
          try {
            d = await(server.store().load("pool-" + i)); // through the same tiny pool: may be refused
          } catch (RuntimeException e) {
            assertThat(SessionManager.poolBusy(e)).as("only the pool may refuse: " + e).isTrue();
          }
        } while ((d == null || d.updates().size() < 2) && System.nanoTime() < end && sleep());
        assertThat(d).isNotNull();
        assertThat(d.updates()).as("pool-" + i).hasSize(2);
      }
      for (WsClient c : clients) {
        assertThat(c.closed).isNotDone();
      }
      assertThat(server.redisGuard().available()).isTrue();
    } finally {
      for (WsClient c : clients) {
        c.ws.close();
      }
      server.stop();
    }
  }

  private static boolean sleep() {
    try {
      Thread.sleep(50);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return true;
  }
}
