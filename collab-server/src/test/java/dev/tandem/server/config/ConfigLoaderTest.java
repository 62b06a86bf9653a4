package dev.tandem.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  @TempDir Path dir;

  private static ServerConfig load(Map<String, String> env, String... args) {
    return ConfigLoader.load(args, env);
  }

  @Test
  void defaults() {
    ServerConfig c = load(Map.of());
    assertThat(c.httpHost()).isEqualTo("0.0.0.0");
    assertThat(c.httpPort()).isEqualTo(1234);
    assertThat(c.redisUrl()).isEmpty();
    assertThat(c.embeddedRedis()).isTrue();
    assertThat(c.keyPrefix()).isEqualTo("tandem");
    assertThat(c.dataDir()).isEqualTo(Path.of("./data"));
    assertThat(c.embeddedRedisFsync()).isEqualTo(FsyncPolicy.ALWAYS);
    assertThat(c.nodeId()).isNotBlank();
    assertThat(c.compactionMaxEntries()).isEqualTo(500);
    assertThat(c.compactionMaxBytes()).isEqualTo(1024 * 1024);
    assertThat(c.awarenessTtl()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.sessionEvictionGrace()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.drainTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.logFormat()).isEqualTo(LogFormat.TEXT);
    assertThat(c.logLevel()).isEqualTo(LogLevel.INFO);
  }

  @Test
  void breakerAndWriteBufferSettings() throws Exception {
    ServerConfig d = load(Map.of());
    assertThat(d.breakerMaxFailures()).isEqualTo(5);
    assertThat(d.breakerTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(d.breakerResetTimeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(d.writeBufferMaxUpdates()).isEqualTo(100_000);
    assertThat(d.writeBufferMaxBytes()).isEqualTo(64L << 20);
    Path file = dir.resolve("breaker.json");
    Files.writeString(file, "{\"redis\": {\"breaker\": {\"timeout\": \"750ms\"}}, \"write-buffer.max-bytes\": \"1MiB\"}");
    ServerConfig c = load(Map.of("TANDEM_REDIS_BREAKER_MAX_FAILURES", "3", "TANDEM_CONFIG", file.toString()),
        "--redis.breaker.reset-timeout=10s", "--write-buffer.max-updates=7");
    assertThat(c.breakerMaxFailures()).isEqualTo(3);
    assertThat(c.breakerTimeout()).isEqualTo(Duration.ofMillis(750));
    assertThat(c.breakerResetTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.writeBufferMaxUpdates()).isEqualTo(7);
    assertThat(c.writeBufferMaxBytes()).isEqualTo(1L << 20);
    assertThatThrownBy(() -> load(Map.of(), "--redis.breaker.max-failures=0"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("redis.breaker.max-failures");
    assertThatThrownBy(() -> load(Map.of(), "--redis.breaker.timeout=0s"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("redis.breaker.timeout");
    assertThatThrownBy(() -> load(Map.of("TANDEM_WRITE_BUFFER_MAX_BYTES", "lots")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("write-buffer.max-bytes");
  }

  @Test
  void precedenceDefaultsFileEnvCli() throws Exception {
    Path file = dir.resolve("tandem.json");
    Files.writeString(file, """
        {
          // comments are allowed
          "http": {"port": 2000, "host": "127.0.0.1"},
          "redis.key-prefix": "fromfile",
          "compaction": {"max-entries": 10, "max-bytes": "4KiB"},
          "drain.timeout": "5s"
        }""");
    Map<String, String> env = Map.of("TANDEM_CONFIG", file.toString(), "TANDEM_HTTP_PORT", "3000",
        "TANDEM_REDIS_KEY_PREFIX", "fromenv", "PATH", "/bin", "TANDEMX", "ignored");
    ServerConfig c = load(env, "--http.port=4000");
    assertThat(c.httpPort()).isEqualTo(4000);              // cli > env > file
    assertThat(c.keyPrefix()).isEqualTo("fromenv");        // env > file
    assertThat(c.httpHost()).isEqualTo("127.0.0.1");       // file > default
    assertThat(c.compactionMaxEntries()).isEqualTo(10);
    assertThat(c.compactionMaxBytes()).isEqualTo(4096);
    assertThat(c.drainTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(c.awarenessTtl()).isEqualTo(Duration.ofSeconds(30)); // default

    ServerConfig c2 = load(env, "--http.port", "4001", "--log.format", "json");
    assertThat(c2.httpPort()).isEqualTo(4001);
    assertThat(c2.logFormat()).isEqualTo(LogFormat.JSON);
  }

  @Test
  void cliConfigOptionWinsOverEnv() throws Exception {
    Path a = dir.resolve("a.json");
    Path b = dir.resolve("b.json");
    Files.writeString(a, "{\"http.port\": 1111}");
    Files.writeString(b, "{\"http.port\": 2222}");
    assertThat(load(Map.of("TANDEM_CONFIG", a.toString()), "--config", b.toString()).httpPort()).isEqualTo(2222);
    assertThat(load(Map.of("TANDEM_CONFIG", a.toString())).httpPort()).isEqualTo(1111);
  }

  @Test
  void unknownKeysAreRejectedInEveryLayer() throws Exception {
    Path file = dir.resolve("bad.json");
    Files.writeString(file, "{\"http\": {\"prot\": 1}}");
    assertThatThrownBy(() -> load(Map.of(), "--config", file.toString()))
        .isInstanceOfSatisfying(ConfigException.class, e -> {
          assertThat(e.key()).isEqualTo("http.prot");
          assertThat(e.source()).contains("bad.json");
        });
    assertThatThrownBy(() -> load(Map.of("TANDEM_HTTP_PROT", "1")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("TANDEM_HTTP_PROT");
    assertThatThrownBy(() -> load(Map.of(), "--http.prot=1"))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo("http.prot"));
    assertThatThrownBy(() -> load(Map.of(), "positional"))
        .isInstanceOf(ConfigException.class);
  }

  @Test
  void invalidValuesNameTheKey() throws Exception {
    assertKeyError("http.port", () -> load(Map.of("TANDEM_HTTP_PORT", "70000")));
    assertKeyError("http.port", () -> load(Map.of(), "--http.port=abc"));
    assertKeyError("redis.url", () -> load(Map.of("TANDEM_REDIS_URL", "http://x")));
    assertKeyError("redis.key-prefix", () -> load(Map.of("TANDEM_REDIS_KEY_PREFIX", "a{b}")));
    assertKeyError("compaction.max-entries", () -> load(Map.of("TANDEM_COMPACTION_MAX_ENTRIES", "0")));
    assertKeyError("compaction.max-bytes", () -> load(Map.of("TANDEM_COMPACTION_MAX_BYTES", "4TB")));
    assertKeyError("drain.timeout", () -> load(Map.of("TANDEM_DRAIN_TIMEOUT", "10")));
    assertKeyError("drain.timeout", () -> load(Map.of("TANDEM_DRAIN_TIMEOUT", "0s")));
    assertKeyError("log.format", () -> load(Map.of("TANDEM_LOG_FORMAT", "xml")));
    assertKeyError("embedded-redis.fsync", () -> load(Map.of("TANDEM_EMBEDDED_REDIS_FSYNC", "no")));
    // An invalid value is reported even when a later layer overrides it.
    assertKeyError("http.port", () -> load(Map.of("TANDEM_HTTP_PORT", "-1"), "--http.port=80"));
    Path file = dir.resolve("arr.json");
    Files.writeString(file, "{\"http.port\": [1]}");
    assertKeyError("http.port", () -> load(Map.of(), "--config=" + file));
  }

  @Test
  void unreadableOrMalformedFile() throws Exception {
    assertThatThrownBy(() -> load(Map.of("TANDEM_CONFIG", dir.resolve("missing.json").toString())))
        .isInstanceOf(ConfigException.class).hasMessageContaining("cannot read");
    Path file = dir.resolve("broken.json");
    Files.writeString(file, "{\"http.port\": ");
    assertThatThrownBy(() -> load(Map.of(), "--config", file.toString()))
        .isInstanceOf(ConfigException.class).hasMessageContaining("not valid JSON");
    Files.writeString(file, "[1,2]");
    assertThatThrownBy(() -> load(Map.of(), "--config", file.toString()))
        .isInstanceOf(ConfigException.class).hasMessageContaining("one JSON object");
  }

  @Test
  void valueFormats() {
    ServerConfig c = load(Map.of("TANDEM_COMPACTION_MAX_BYTES", "2MiB", "TANDEM_AWARENESS_TTL", "1500ms",
        "TANDEM_SESSION_EVICTION_GRACE", "0s", "TANDEM_LOG_LEVEL", "DEBUG", "TANDEM_NODE_ID", "node-a",
        "TANDEM_EMBEDDED_REDIS_FSYNC", "everysec", "TANDEM_REDIS_URL", "redis://localhost:6379/0",
        "TANDEM_AUTH", "none"));
    assertThat(c.compactionMaxBytes()).isEqualTo(2 * 1024 * 1024);
    assertThat(c.awarenessTtl()).isEqualTo(Duration.ofMillis(1500));
    assertThat(c.sessionEvictionGrace()).isZero();
    assertThat(c.logLevel()).isEqualTo(LogLevel.DEBUG);
    assertThat(c.nodeId()).isEqualTo("node-a");
    assertThat(c.embeddedRedisFsync()).isEqualTo(FsyncPolicy.EVERYSEC);
    assertThat(c.embeddedRedis()).isFalse();
  }

  @Test
  void envNamesAreDerivedFromKeys() {
    assertThat(Settings.HTTP_PORT.env()).isEqualTo("TANDEM_HTTP_PORT");
    assertThat(Settings.EMBEDDED_FSYNC.env()).isEqualTo("TANDEM_EMBEDDED_REDIS_FSYNC");
    assertThat(Settings.COMPACTION_MAX_BYTES.cli()).isEqualTo("--compaction.max-bytes");
  }

  private static void assertKeyError(String key, org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
    assertThatThrownBy(call).isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo(key));
  }

  @Test
  void authIsOffOnlyForTheEmbeddedDefault() {
    ServerConfig embedded = load(Map.of());
    assertThat(embedded.auth().mode()).isEqualTo(AuthMode.NONE);
    assertThat(embedded.auth().modeExplicit()).isFalse();
    // a configured redis.url makes authentication required, and without a key the start stops
    assertThatThrownBy(() -> load(Map.of("TANDEM_REDIS_URL", "redis://localhost:6379")))
        .isInstanceOfSatisfying(ConfigException.class, e -> {
          assertThat(e.key()).isEqualTo("auth.mode");
          assertThat(e.getMessage()).contains("no key is configured").contains("auth.jwt.secret");
        });
    String secret = "0123456789abcdef0123456789abcdef";
    ServerConfig jwt = load(Map.of("TANDEM_REDIS_URL", "redis://localhost:6379", "TANDEM_AUTH_JWT_SECRET", secret));
    assertThat(jwt.auth().mode()).isEqualTo(AuthMode.JWT);
    assertThat(jwt.auth().secret()).isEqualTo(secret);
    assertThat(jwt.auth().toString()).doesNotContain(secret);
    assertThat(load(Map.of("TANDEM_REDIS_URL", "redis://localhost:6379", "TANDEM_AUTH", "none")).auth().mode())
        .isEqualTo(AuthMode.NONE);
    // explicitly required on the embedded Redis too
    assertThatThrownBy(() -> load(Map.of("TANDEM_AUTH", "jwt"))).isInstanceOf(ConfigException.class);
    assertThat(load(Map.of(), "--auth.mode=jwt", "--auth.jwt.public-keys=/keys.pem").auth().publicKeysFile())
        .isEqualTo("/keys.pem");
  }

  @Test
  void authValuesAreValidatedWithoutEchoingSecrets() {
    assertThatThrownBy(() -> load(Map.of("TANDEM_AUTH_JWT_SECRET", "short-secret-value")))
        .isInstanceOfSatisfying(ConfigException.class, e -> {
          assertThat(e.key()).isEqualTo("auth.jwt.secret");
          assertThat(e.getMessage()).contains("at least 32 bytes").doesNotContain("short-secret-value");
        });
    assertKeyError("auth.mode", () -> load(Map.of("TANDEM_AUTH", "maybe")));
    assertKeyError("auth.jwt.leeway", () -> load(Map.of("TANDEM_AUTH_JWT_LEEWAY", "1h")));
    assertKeyError("auth.jwt.leeway", () -> load(Map.of("TANDEM_AUTH_JWT_LEEWAY", "1500ms")));
    assertThat(load(Map.of("TANDEM_AUTH_JWT_LEEWAY", "0s")).auth().leeway()).isZero();
  }
}
