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
   * The event-loop-lag guard of test servers. The production default (1 s) measures the machine as
   * much as the server: on a loaded CI machine (2 cores, several JVMs, Node clients, Redis) a GC or
   * scheduling stall of a second happens, and then the guard refuses new sockets (503) and new
   * documents (1013; for Hocuspocus a Close message for the key, after which the provider never
   * asks for that document again on its socket) to clients that tests expect to be served. Tests of
   * the guard itself set their own limit or use {@code Guards.simulateEventLoopLag}.
   */
  public static final String LENIENT_LAG_GUARD = "--guards.max-event-loop-lag=1m";

  /**
   * A server on the test Redis. Authentication is off ({@code --auth.mode=none}) and the lag guard
   * lenient ({@link #LENIENT_LAG_GUARD}) unless {@code extra} says otherwise (later options win).
   */
  public static TandemServer start(EmbeddedRedis redis, String prefix, int port, String... extra) throws Exception {
    List<String> args = new ArrayList<>(List.of("--http.port=" + port, "--http.host=127.0.0.1",
        "--redis.url=" + redis.connectionString(), "--redis.key-prefix=" + prefix, "--session.eviction-grace=1s",
        "--log.level=warn", "--auth.mode=none", LENIENT_LAG_GUARD,
        "--drain.stagger=0s")); // stop() closes sockets at once in tests (DrainIT tests the stagger)
    args.addAll(List.of(extra));
    return TandemServer.start(ConfigLoader.load(args.toArray(String[]::new), Map.of()));
  }
}
