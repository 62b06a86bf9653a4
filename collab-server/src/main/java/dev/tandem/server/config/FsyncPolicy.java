package dev.tandem.server.config;

/**
 * Redis {@code appendfsync} for the embedded Redis. {@code ALWAYS} (default) fsyncs the append-only
 * file before Redis replies, so an acknowledged update survives even a power loss; {@code EVERYSEC}
 * survives a crash of either process but may lose up to one second of acknowledged writes on an
 * operating-system crash or power loss.
 */
public enum FsyncPolicy {
  ALWAYS("always"),
  EVERYSEC("everysec");

  private final String redisValue;

  FsyncPolicy(String redisValue) {
    this.redisValue = redisValue;
  }

  public String redisValue() {
    return redisValue;
  }
}
