package dev.tandem.server.redis;

import dev.tandem.server.config.FsyncPolicy;
import java.nio.file.Path;

/**
 * Run in a child JVM by {@link EmbeddedRedisTest}: starts an {@link EmbeddedRedis} on the data
 * directory given as argument, prints {@code READY <port> <redis pid>} and waits to be killed.
 */
public final class EmbeddedRedisProbe {
  public static void main(String[] args) throws Exception {
    EmbeddedRedis r = EmbeddedRedis.start(new EmbeddedRedis.Options(Path.of(args[0])).withFsync(FsyncPolicy.ALWAYS));
    System.out.println("READY " + r.port() + " " + r.pid());
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}
