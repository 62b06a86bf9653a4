package dev.tandem.server.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * The effective, validated server configuration. Built by {@link ConfigLoader}; every field has a
 * default (see {@link Settings} and the Configuration table in README.md).
 */
public record ServerConfig(
    String httpHost,
    int httpPort,
    String redisUrl,
    String keyPrefix,
    int breakerMaxFailures,
    Duration breakerTimeout,
    Duration breakerResetTimeout,
    long writeBufferMaxUpdates,
    long writeBufferMaxBytes,
    Path dataDir,
    FsyncPolicy embeddedRedisFsync,
    String nodeId,
    long compactionMaxEntries,
    long compactionMaxBytes,
    Duration awarenessTtl,
    Duration sessionEvictionGrace,
    long sessionOffloadBytes,
    long wsMaxMessageSize,
    Duration wsPingInterval,
    Duration drainTimeout,
    Duration drainStagger,
    LogFormat logFormat,
    LogLevel logLevel,
    AuthSettings auth,
    GuardSettings guards,
    TuningSettings tuning) {

  public ServerConfig {
    Objects.requireNonNull(httpHost);
    Objects.requireNonNull(redisUrl);
    Objects.requireNonNull(keyPrefix);
    Objects.requireNonNull(breakerTimeout);
    Objects.requireNonNull(breakerResetTimeout);
    Objects.requireNonNull(dataDir);
    Objects.requireNonNull(embeddedRedisFsync);
    Objects.requireNonNull(nodeId);
    Objects.requireNonNull(awarenessTtl);
    Objects.requireNonNull(sessionEvictionGrace);
    Objects.requireNonNull(wsPingInterval);
    Objects.requireNonNull(drainTimeout);
    Objects.requireNonNull(drainStagger);
    Objects.requireNonNull(logFormat);
    Objects.requireNonNull(logLevel);
    Objects.requireNonNull(auth);
    Objects.requireNonNull(guards);
    Objects.requireNonNull(tuning);
  }

  /** All defaults, no file, no environment. */
  public static ServerConfig defaults() {
    return ConfigLoader.load(new String[0], java.util.Map.of());
  }

  /** True when no Redis URL is configured and the server supervises its own Redis child. */
  public boolean embeddedRedis() {
    return redisUrl.isEmpty();
  }

  public ServerConfig withRedisUrl(String url) {
    return new ServerConfig(httpHost, httpPort, url, keyPrefix, breakerMaxFailures, breakerTimeout,
        breakerResetTimeout, writeBufferMaxUpdates, writeBufferMaxBytes, dataDir, embeddedRedisFsync, nodeId,
        compactionMaxEntries, compactionMaxBytes, awarenessTtl, sessionEvictionGrace, sessionOffloadBytes, wsMaxMessageSize, wsPingInterval, drainTimeout, drainStagger,
        logFormat, logLevel, auth, guards, tuning);
  }
}
