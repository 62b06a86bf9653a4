package dev.tandem.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.server.config.ConfigLoader;
import dev.tandem.server.config.ServerConfig;
import dev.tandem.server.testing.RedisServerExtension;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 90, unit = TimeUnit.SECONDS)
class TandemServerTest {
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private HttpResponse<String> get(TandemServer s, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.httpPort() + path))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void embeddedModeServesHealthAndStopsEverything() throws Exception {
    Path dir = Files.createTempDirectory("tandem-server-test");
    try {
      ServerConfig c = ConfigLoader.load(new String[] {"--http.port=0", "--http.host=127.0.0.1", "--data.dir=" + dir},
          Map.of());
      TandemServer s = TandemServer.start(c);
      long redisPid = s.embeddedRedis().pid();
      try {
        HttpResponse<String> live = get(s, "/health/live");
        assertThat(live.statusCode()).isEqualTo(200);
        assertThat(live.body()).contains("\"UP\"");
        HttpResponse<String> ready = get(s, "/health/ready");
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).contains("\"redis\":\"UP\"");
        assertThat(get(s, "/nope").statusCode()).isEqualTo(404);
      } finally {
        s.stop();
      }
      assertThat(ProcessHandle.of(redisPid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
      s.stop(); // idempotent
    } finally {
      RedisServerExtension.deleteTree(dir);
    }
  }

  @Test
  void notReadyWhenRedisIsUnreachable() throws Exception {
    int closedPort;
    try (ServerSocket ss = new ServerSocket(0)) {
      closedPort = ss.getLocalPort();
    }
    ServerConfig c = ConfigLoader.load(new String[] {"--http.port=0", "--http.host=127.0.0.1",
        "--redis.url=redis://127.0.0.1:" + closedPort, "--auth.mode=none"}, Map.of());
    TandemServer s = TandemServer.start(c);
    try {
      assertThat(s.embeddedRedis()).isNull();
      assertThat(get(s, "/health/live").statusCode()).isEqualTo(200);
      HttpResponse<String> ready = get(s, "/health/ready");
      assertThat(ready.statusCode()).isEqualTo(503);
      assertThat(ready.body()).contains("DOWN");
    } finally {
      s.stop();
    }
  }

  @Test
  void passwordsAreRedactedInLogs() {
    assertThat(TandemServer.redactPassword("redis://:secret@host:6379/0")).isEqualTo("redis://***@host:6379/0");
    assertThat(TandemServer.redactPassword("redis://host:6379")).isEqualTo("redis://host:6379");
  }
}
