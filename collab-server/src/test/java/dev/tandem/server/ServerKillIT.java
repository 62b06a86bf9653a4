package dev.tandem.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.server.redis.EmbeddedRedis;
import dev.tandem.server.testing.NodeClients;
import dev.tandem.server.testing.RedisServerExtension;
import dev.tandem.server.testing.ServerProcesses;
import dev.tandem.server.testing.TestServers;
import io.vertx.core.json.JsonObject;
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
  private final ServerProcesses servers = new ServerProcesses();

  @AfterEach
  void killLeftovers() throws Exception {
    servers.close();
  }

  @Test
  void everyAcknowledgedUpdateSurvivesASigkillOfTheServerProcess(EmbeddedRedis redis) throws Exception {
    assertThat(ServerProcesses.JAR).as("the server jar (built by mvn package)").exists();
    int port = ServerProcesses.freePort();
    String prefix = TestServers.freshPrefix();
    Process[] server = {servers.start(redis, prefix, port, "--log.level=warn")};
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
            server[0] = servers.start(redis, prefix, port, "--log.level=warn");
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
}
