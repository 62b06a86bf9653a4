package dev.tandem.server.ws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.server.TandemServer;
import dev.tandem.server.guard.Guards;
import dev.tandem.server.redis.EmbeddedRedis;
import dev.tandem.server.session.CloseCodes;
import dev.tandem.server.testing.NodeClients;
import dev.tandem.server.testing.RedisServerExtension;
import dev.tandem.server.testing.TestServers;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A Hocuspocus document refused for a temporary reason is retried by a real
 * {@code @hocuspocus/provider} 4.8.0 on its own once the reason is gone (docs/protocol.md): alone on
 * its socket, the socket is closed with 1013 and the provider reconnects; on a socket that carries
 * another document only the key is closed and the other document goes on. The storage side (Redis
 * down) is {@code RedisOutageTest}'s {@code outage} scenario.
 */
@ExtendWith(RedisServerExtension.class)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class HocuspocusRetryTest {
  private TandemServer server;

  @AfterEach
  void stop() throws Exception {
    if (server != null) {
      server.stop();
    }
  }

  @Test
  void aRefusedDocumentIsRetriedByTheProviderOnceTheNodeHasRoom(EmbeddedRedis redis) throws Exception {
    server = TestServers.start(redis, TestServers.freshPrefix(), 0, "--guards.max-documents=2",
        "--session.eviction-grace=300ms");
    JsonObject r = NodeClients.run(80, List.of("retry", "--url", "http://127.0.0.1:" + server.httpPort()));
    JsonArray soloCloses = r.getJsonArray("soloCloses");
    assertThat(soloCloses).isNotEmpty();
    for (Object o : soloCloses) {
      JsonObject close = (JsonObject) o;
      assertThat(close.getInteger("code")).isEqualTo(CloseCodes.TRY_AGAIN_LATER);
      assertThat(close.getString("reason")).contains("guards.max-documents=2");
    }
    assertThat(r.getJsonArray("muxedCloses").getString(0)).contains("guards.max-documents=2");
    assertThat(server.guards().refusals(Guards.TOO_MANY_DOCUMENTS)).isGreaterThanOrEqualTo(2);
  }
}
