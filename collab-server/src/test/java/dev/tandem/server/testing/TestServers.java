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
   * A server on the test Redis. Authentication is off ({@code --auth.mode=none}) unless
   * {@code extra} says otherwise (later options win). The event-loop-lag guard keeps its production
   * defaults: it judges a moving average of the probes, so the GC or scheduling stalls of a loaded CI
   * machine do not trip it; tests of the guard itself set their own limit or use
   * {@code Guards.simulateEventLoopLag}.
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
