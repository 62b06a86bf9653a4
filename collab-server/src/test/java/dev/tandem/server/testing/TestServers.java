package dev.tandem.server.testing;

import dev.tandem.server.TandemServer;
import dev.tandem.server.config.ConfigLoader;
import dev.tandem.server.redis.EmbeddedRedis;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** Starts {@link TandemServer}s against a test Redis, each with its own key prefix unless given. */
public final class TestServers {
  private static final AtomicInteger PREFIX = new AtomicInteger();

  private TestServers() {}

  public static String freshPrefix() {
    return "t" + ProcessHandle.current().pid() + "x" + PREFIX.incrementAndGet();
  }

  /**
   * A server on the test Redis. Authentication is off ({@code --auth.mode=none}) unless {@code extra}
   * says otherwise (later options win).
   */
  public static TandemServer start(EmbeddedRedis redis, String prefix, int port, String... extra) throws Exception {
    List<String> args = new ArrayList<>(List.of("--http.port=" + port, "--http.host=127.0.0.1",
        "--redis.url=" + redis.connectionString(), "--redis.key-prefix=" + prefix, "--session.eviction-grace=1s",
        "--log.level=warn", "--auth.mode=none",
        "--drain.stagger=0s")); // stop() closes sockets at once in tests (DrainIT tests the stagger)
    args.addAll(List.of(extra));
    return TandemServer.start(ConfigLoader.load(args.toArray(String[]::new), Map.of()));
  }
}
