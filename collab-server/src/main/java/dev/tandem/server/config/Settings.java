package dev.tandem.server.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every configuration knob, in the order of the README's Configuration table. Adding a knob: add a
 * constant here, add it to {@link #ALL}, read it in {@link ConfigLoader#build}, and add a row to the
 * README table, which is the one place each knob is described ({@code SettingsDocTest} fails when
 * the table and this list disagree on keys, variables or defaults).
 */
public final class Settings {
  private Settings() {}

  public static final Setting<String> HTTP_HOST = new Setting<>("http.host", "0.0.0.0", Values::nonBlank);
  public static final Setting<Integer> HTTP_PORT = new Setting<>("http.port", "1234", Values::port);
  public static final Setting<String> REDIS_URL = new Setting<>("redis.url", "",
      Values::redisUrl);
  public static final Setting<String> KEY_PREFIX = new Setting<>("redis.key-prefix", "tandem",
      Values::keyPrefix);
  public static final Setting<Integer> BREAKER_MAX_FAILURES = new Setting<>("redis.breaker.max-failures", "5",
      Values::positiveInt);
  public static final Setting<Duration> BREAKER_TIMEOUT = new Setting<>("redis.breaker.timeout", "5s",
      Values::positiveDuration);
  public static final Setting<Duration> BREAKER_RESET_TIMEOUT = new Setting<>("redis.breaker.reset-timeout", "2s",
      Values::positiveDuration);
  public static final Setting<Integer> REDIS_POOL_SIZE = new Setting<>("redis.pool.size", "32", Values::positiveInt);
  public static final Setting<Integer> REDIS_POOL_WAITING = new Setting<>("redis.pool.waiting", "2048",
      Values::positiveInt);
  public static final Setting<Integer> EVENT_LOOPS = new Setting<>("server.event-loops", "0", raw -> {
    int n = Values.integer(raw);
    if (n < 0 || n > 1024) {
      throw new IllegalArgumentException("must be 0 (2 x CPU cores) or 1..1024, got " + raw);
    }
    return n;
  });
  public static final Setting<Long> WRITE_BUFFER_MAX_UPDATES = new Setting<>("write-buffer.max-updates", "100000",
      Values::positiveLong);
  public static final Setting<Long> WRITE_BUFFER_MAX_BYTES = new Setting<>("write-buffer.max-bytes", "64MiB",
      Values::size);
  public static final Setting<Path> DATA_DIR = new Setting<>("data.dir", "./data",
      raw -> Path.of(Values.nonBlank(raw)));
  public static final Setting<FsyncPolicy> EMBEDDED_FSYNC = new Setting<>("embedded-redis.fsync", "always",
      raw -> Values.enumValue(FsyncPolicy.class, raw));
  public static final Setting<String> NODE_ID = new Setting<>("node.id", "",
      Values::nodeId);
  public static final Setting<Long> COMPACTION_MAX_ENTRIES = new Setting<>("compaction.max-entries", "500", Values::positiveLong);
  public static final Setting<Long> COMPACTION_MAX_BYTES = new Setting<>("compaction.max-bytes", "1MiB",
      Values::size);
  public static final Setting<Duration> AWARENESS_TTL = new Setting<>("awareness.ttl", "30s",
      Values::positiveDuration);
  public static final Setting<Duration> SESSION_EVICTION_GRACE = new Setting<>("session.eviction-grace", "30s", Values::duration);
  public static final Setting<Long> SESSION_OFFLOAD_BYTES = new Setting<>("session.offload-bytes", "256KiB",
      Values::size);
  public static final Setting<Long> WS_MAX_MESSAGE_SIZE = new Setting<>("ws.max-message-size", "16MiB",
      Values::messageSize);
  public static final Setting<Duration> WS_PING_INTERVAL = new Setting<>("ws.ping-interval", "15s",
      Values::positiveDuration);
  public static final Setting<Duration> DRAIN_TIMEOUT = new Setting<>("drain.timeout", "30s",
      Values::positiveDuration);
  public static final Setting<Duration> DRAIN_STAGGER = new Setting<>("drain.stagger", "10s", Values::duration);
  /** {@code none} or {@code jwt}; empty = {@code none} with the embedded Redis, {@code jwt} with {@code redis.url}. */
  public static final Setting<AuthMode> AUTH_MODE = new Setting<>("auth.mode", "TANDEM_AUTH", "",
      raw -> raw.isBlank() ? null : Values.enumValue(AuthMode.class, raw));
  public static final Setting<String> AUTH_JWT_SECRET = new Setting<>("auth.jwt.secret", "", Values::hmacSecret);
  public static final Setting<String> AUTH_JWT_PUBLIC_KEYS = new Setting<>("auth.jwt.public-keys", "", String::trim);
  public static final Setting<String> AUTH_JWT_JWKS = new Setting<>("auth.jwt.jwks", "", String::trim);
  public static final Setting<String> AUTH_JWT_ISSUER = new Setting<>("auth.jwt.issuer", "", String::trim);
  public static final Setting<String> AUTH_JWT_AUDIENCE = new Setting<>("auth.jwt.audience", "", String::trim);
  public static final Setting<Duration> AUTH_JWT_LEEWAY = new Setting<>("auth.jwt.leeway", "5s", Values::leeway);
  public static final Setting<Integer> GUARDS_MAX_CONNECTIONS = new Setting<>("guards.max-connections", "10000",
      Values::positiveInt);
  public static final Setting<Integer> GUARDS_MAX_DOCUMENTS = new Setting<>("guards.max-documents", "10000",
      Values::positiveInt);
  public static final Setting<Integer> GUARDS_MAX_CONNECTIONS_PER_DOCUMENT = new Setting<>(
      "guards.max-connections-per-document", "1000", Values::positiveInt);
  public static final Setting<Long> GUARDS_MAX_DOCUMENT_SIZE = new Setting<>("guards.max-document-size", "32MiB",
      Values::size);
  public static final Setting<Long> GUARDS_MESSAGE_RATE = new Setting<>("guards.message-rate", "200", Values::positiveLong);
  public static final Setting<Long> GUARDS_MESSAGE_BURST = new Setting<>("guards.message-burst", "1000",
      Values::positiveLong);
  public static final Setting<Long> GUARDS_BYTE_RATE = new Setting<>("guards.byte-rate", "4MiB", Values::size);
  public static final Setting<Long> GUARDS_BYTE_BURST = new Setting<>("guards.byte-burst", "32MiB", Values::size);
  public static final Setting<Long> GUARDS_OUTBOUND_QUEUE = new Setting<>("guards.outbound-queue", "64MiB", Values::size);
  public static final Setting<Double> GUARDS_MAX_HEAP_USED = new Setting<>("guards.max-heap-used", "90%",
      Values::percent);
  public static final Setting<Duration> GUARDS_MAX_EVENT_LOOP_LAG = new Setting<>("guards.max-event-loop-lag", "1s",
      Values::positiveDuration);
  public static final Setting<Duration> GUARDS_LAG_PROBE_INTERVAL = new Setting<>("guards.lag-probe-interval", "100ms",
      Values::positiveDuration);
  public static final Setting<Double> GUARDS_LAG_PROBE_WEIGHT = new Setting<>("guards.lag-probe-weight", "25%",
      Values::percent);
  public static final Setting<Duration> GUARDS_RETRY_AFTER = new Setting<>("guards.retry-after", "5s",
      Values::positiveDuration);
  public static final Setting<Double> GUARDS_CAPACITY_WARNING = new Setting<>("guards.capacity-warning", "75%",
      Values::percent);
  public static final Setting<Duration> GUARDS_MONITOR_INTERVAL = new Setting<>("guards.monitor-interval", "1s",
      Values::positiveDuration);
  public static final Setting<LogFormat> LOG_FORMAT = new Setting<>("log.format", "text", raw -> Values.enumValue(LogFormat.class, raw));
  public static final Setting<LogLevel> LOG_LEVEL = new Setting<>("log.level", "info", raw -> Values.enumValue(LogLevel.class, raw));

  public static final List<Setting<?>> ALL = List.of(HTTP_HOST, HTTP_PORT, REDIS_URL, KEY_PREFIX,
      BREAKER_MAX_FAILURES, BREAKER_TIMEOUT, BREAKER_RESET_TIMEOUT, REDIS_POOL_SIZE, REDIS_POOL_WAITING, EVENT_LOOPS,
      WRITE_BUFFER_MAX_UPDATES, WRITE_BUFFER_MAX_BYTES,
      DATA_DIR,
      EMBEDDED_FSYNC, NODE_ID, COMPACTION_MAX_ENTRIES, COMPACTION_MAX_BYTES, AWARENESS_TTL,
      SESSION_EVICTION_GRACE, SESSION_OFFLOAD_BYTES, WS_MAX_MESSAGE_SIZE, WS_PING_INTERVAL, DRAIN_TIMEOUT, DRAIN_STAGGER,
      AUTH_MODE, AUTH_JWT_SECRET, AUTH_JWT_PUBLIC_KEYS, AUTH_JWT_JWKS, AUTH_JWT_ISSUER, AUTH_JWT_AUDIENCE, AUTH_JWT_LEEWAY,
      GUARDS_MAX_CONNECTIONS, GUARDS_MAX_DOCUMENTS, GUARDS_MAX_CONNECTIONS_PER_DOCUMENT, GUARDS_MAX_DOCUMENT_SIZE,
      GUARDS_MESSAGE_RATE, GUARDS_MESSAGE_BURST, GUARDS_BYTE_RATE, GUARDS_BYTE_BURST, GUARDS_OUTBOUND_QUEUE,
      GUARDS_MAX_HEAP_USED, GUARDS_MAX_EVENT_LOOP_LAG, GUARDS_LAG_PROBE_INTERVAL, GUARDS_LAG_PROBE_WEIGHT,
      GUARDS_RETRY_AFTER, GUARDS_CAPACITY_WARNING, GUARDS_MONITOR_INTERVAL,
      LOG_FORMAT, LOG_LEVEL);

  static final Map<String, Setting<?>> BY_KEY;
  static final Map<String, Setting<?>> BY_ENV;

  static {
    Map<String, Setting<?>> k = new LinkedHashMap<>();
    Map<String, Setting<?>> e = new LinkedHashMap<>();
    for (Setting<?> s : ALL) {
      k.put(s.key(), s);
      e.put(s.env(), s);
    }
    BY_KEY = Map.copyOf(k);
    BY_ENV = Map.copyOf(e);
  }
}
