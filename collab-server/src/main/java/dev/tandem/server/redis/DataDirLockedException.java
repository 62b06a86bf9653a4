package dev.tandem.server.redis;

import java.nio.file.Path;

/** Another live Tandem server (or this process) already uses the data directory. */
public final class DataDirLockedException extends RedisStartException {
  private final Path dataDir;

  public DataDirLockedException(Path dataDir, String holder, Path lockFile) {
    super("data dir " + dataDir + " is in use by another Tandem server (" + holder + "; lock file "
        + lockFile + "). The embedded Redis is for one node: stop the other server, give this one its own"
        + " data.dir, or point both at a shared Redis with redis.url.");
    this.dataDir = dataDir;
  }

  public Path dataDir() {
    return dataDir;
  }
}
