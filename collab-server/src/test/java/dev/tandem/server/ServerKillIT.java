package dev.tandem.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.server.redis.EmbeddedRedis;
import dev.tandem.server.testing.NodeClients;
import dev.tandem.server.testing.RedisServerExtension;
import dev.tandem.server.testing.TestServers;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The real server process ({@code java -jar collab-server.jar}, built by the package phase; this
 * is a failsafe integration test) on an external test Redis is killed with SIGKILL while real
 * clients edit, then restarted: every update a client had been acknowledged is served before any
 * client reconnects, and afterwards everyone converges (see scenario {@code sigkill} in
 * {@code src/test/node/clients.mjs}).
 */
@ExtendWith(RedisServerExtension.class)
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class ServerKillIT {
  private static final Path JAR = Path.of(System.getProperty("tandem.server.jar", "target/collab-server.jar"));
  private final List<Process> started = new ArrayList<>();
  private final List<Path> logs = new ArrayList<>();

  @AfterEach
  void killLeftovers() throws Exception {
    for (Process p : started) {
      if (p.isAlive()) {
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
    for (Path l : logs) {
      Files.deleteIfExists(l);
    }
  }

  @Test
  void everyAcknowledgedUpdateSurvivesASigkillOfTheServerProcess(EmbeddedRedis redis) throws Exception {
    assertThat(JAR).as("the server jar (built by mvn package)").exists();
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    String prefix = TestServers.freshPrefix();
    Process[] server = {startServer(redis, prefix, port)};
    JsonObject r = NodeClients.run(120, List.of("sigkill", "--url", "http://127.0.0.1:" + port, "--doc", "killed-1"),
        what -> {
          try {
            if (what.equals("kill")) {
              long pid = server[0].pid();
              // SIGKILL: no shutdown hook, no drain, sockets die with the process
              Process kill = new ProcessBuilder("kill", "-KILL", Long.toString(pid)).inheritIO().start();
              assertThat(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0).as("kill -9 " + pid).isTrue();
              assertThat(server[0].waitFor(20, TimeUnit.SECONDS)).as("server process gone").isTrue();
              assertThat(server[0].exitValue()).isEqualTo(137);
              return "killed";
            }
            server[0] = startServer(redis, prefix, port);
            return "restarted";
          } catch (Exception e) {
            throw new RuntimeException(e);
          }
        });
    System.out.println("sigkill scenario: " + r.encode());
    assertThat(r.getJsonArray("acked")).hasSize(2);
    for (Object a : r.getJsonArray("acked")) {
      assertThat(((JsonObject) a).getInteger("n")).isGreaterThanOrEqualTo(20);
    }
  }

  private Process startServer(EmbeddedRedis redis, String prefix, int port) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Path log = Files.createTempFile("tandem-server", ".log");
    logs.add(log);
    Process p = new ProcessBuilder(java, "-Xmx512m", "-jar", JAR.toString(), "--http.host=127.0.0.1",
        "--http.port=" + port, "--redis.url=" + redis.connectionString(), "--redis.key-prefix=" + prefix,
        "--log.level=warn", "--auth.mode=none")
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    started.add(p);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      if (!p.isAlive()) {
        throw new AssertionError("server exited with " + p.exitValue() + ":\n" + Files.readString(log, StandardCharsets.UTF_8));
      }
      if (ready(port)) {
        return p;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("server not ready after 60 s:\n" + Files.readString(log, StandardCharsets.UTF_8));
  }

  private static boolean ready(int port) {
    try {
      HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + "/health/ready").toURL().openConnection();
      c.setConnectTimeout(500);
      c.setReadTimeout(2000);
      try {
        return c.getResponseCode() == 200;
      } finally {
        c.disconnect();
      }
    } catch (IOException e) {
      return false;
    }
  }
}
