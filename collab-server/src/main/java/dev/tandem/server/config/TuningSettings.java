package dev.tandem.server.config;

/**
 * Threading and Redis client capacity of a node.
 *
 * @param eventLoops {@code server.event-loops}: Vert.x event loops (0 = 2 x CPU cores, the Vert.x
 *     default); the HTTP server runs one verticle instance per loop and document sessions are spread
 *     over one context per loop
 * @param redisPoolSize {@code redis.pool.size}: pooled Redis connections (each carries one command at
 *     a time)
 * @param redisPoolWaiting {@code redis.pool.waiting}: commands that may wait for a pooled connection
 *     before the client refuses new ones
 */
public record TuningSettings(int eventLoops, int redisPoolSize, int redisPoolWaiting) {
  public TuningSettings {
    if (eventLoops < 0 || redisPoolSize < 1 || redisPoolWaiting < 1) {
      throw new IllegalArgumentException("invalid tuning settings");
    }
  }

  /** The number of event loops in effect. */
  public int effectiveEventLoops() {
    return eventLoops > 0 ? eventLoops : 2 * Runtime.getRuntime().availableProcessors();
  }
}
