package dev.tandem.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.server.redis.EmbeddedRedis;
import dev.tandem.server.testing.NodeClients;
import dev.tandem.server.testing.RedisServerExtension;
import dev.tandem.server.testing.ServerProcesses;
import dev.tandem.server.testing.TestServers;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Graceful drain of the real server process ({@code java -jar collab-server.jar}; failsafe, after
 * package) with real Node clients of both protocols editing ({@code drain} scenario in
 * {@code clients.mjs}): on {@code kill -TERM} readiness answers 503 at once and new sockets are
 * refused with 503 + Retry-After, every socket is closed with 1012 spread over {@code drain.stagger},
 * the process exits 0 within {@code drain.timeout}, every acknowledged update is served by a server
 * restarted on the same Redis, and the clients reconnect and converge.
 */
@ExtendWith(RedisServerExtension.class)
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class DrainIT {
  private static final long STAGGER_MS = 3000;
  private static final long TIMEOUT_MS = 15000;
  private final ServerProcesses servers = new ServerProcesses();

  @AfterEach
  void killLeftovers() throws Exception {
    servers.close();
  }

  @Test
  void sigtermDrainsStaggeredFlushesAndExitsZero(EmbeddedRedis redis) throws Exception {
    assertThat(ServerProcesses.JAR).as("the server jar (built by mvn package)").exists();
    int port = ServerProcesses.freePort();
    String prefix = TestServers.freshPrefix();
    Process[] server = {servers.start(redis, prefix, port, "--log.level=info", "--drain.stagger=" + STAGGER_MS + "ms",
                "--drain.timeout=" + TIMEOUT_MS + "ms")};
    Path firstLog = servers.lastLog();
    long[] exitMillis = {-1};
    JsonObject r = NodeClients.run(120, List.of("drain", "--url", "http://127.0.0.1:" + port, "--docs", "drain-a,drain-b",
        "--clients", "2"), what -> {
          try {
            if (what.equals("sigterm")) {
              long t0 = System.nanoTime();
              Process kill = new ProcessBuilder("kill", "-TERM", Long.toString(server[0].pid())).inheritIO().start();
              assertThat(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0).isTrue();
              // not ready at once; new sockets refused with 503 + Retry-After
              // (the signal reaches the JVM asynchronously: poll briefly)
              int status = ServerProcesses.readyStatus(port);
              while (status != 503 && System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(2)) {
                Thread.sleep(10);
                status = ServerProcesses.readyStatus(port);
              }
              assertThat(status).as("readiness right after SIGTERM").isEqualTo(503);
              assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).as("ms until not ready").isLessThan(1000);
              String refused = upgrade(port, "/ws/drain-a");
              assertThat(refused).startsWith("HTTP/1.1 503").containsIgnoringCase("retry-after: 1").contains("draining");
              assertThat(server[0].waitFor(TIMEOUT_MS + 5000, TimeUnit.MILLISECONDS)).as("exited").isTrue();
              exitMillis[0] = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
              assertThat(server[0].exitValue()).as("exit code; log:\n" + Files.readString(firstLog)).isEqualTo(0);
              return "terminated";
            }
            server[0] = servers.start(redis, prefix, port, "--log.level=info", "--drain.stagger=" + STAGGER_MS + "ms",
                "--drain.timeout=" + TIMEOUT_MS + "ms");
            return "restarted";
          } catch (Exception e) {
            throw new RuntimeException(e);
          }
        });
    System.out.println("drain scenario: " + r.encode() + ", exit after " + exitMillis[0] + " ms");
    assertThat(exitMillis[0]).isBetween(0L, TIMEOUT_MS);
    assertThat(r.getJsonArray("closes")).hasSize(8);
    for (Object o : r.getJsonArray("closes")) {
      JsonObject c = (JsonObject) o;
      assertThat(c.getInteger("code")).as(c.encode()).isEqualTo(1012);
      assertThat(c.getString("reason")).as(c.encode()).isEqualTo("server restarting, reconnect");
    }
    // 8 sockets over 3 s: the i-th closes at 3 s * i / 8, so the last one 2.6 s after the first
    assertThat(r.getLong("spreadMs")).isBetween(STAGGER_MS / 2, STAGGER_MS + 2000);
    for (Object a : r.getJsonArray("acked")) {
      assertThat(((JsonObject) a).getInteger("n")).isGreaterThanOrEqualTo(10);
    }
    String log = Files.readString(firstLog, StandardCharsets.UTF_8);
    assertThat(log).contains("event=drain.start sockets=8", "event=drain.flushed", "event=server.stopped flushed=true");
    for (String line : log.split("\n")) {
      if (!line.isBlank()) {
        assertThat(line).startsWith("ts=");
      }
    }
  }

  /** A raw websocket upgrade request; returns the response head. */
  private static String upgrade(int port, String path) throws IOException {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(5000);
      OutputStream out = s.getOutputStream();
      out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
          + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      byte[] buf = new byte[4096];
      StringBuilder b = new StringBuilder();
      int n;
      while ((n = in.read(buf)) > 0) {
        b.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
        if (b.indexOf("}") >= 0) {
          break;
        }
      }
      return b.toString();
    }
  }

}
