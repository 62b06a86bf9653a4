package dev.tandem.server.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.server.testing.RedisServerExtension;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EmbeddedRedisTest {
  private Path dir;
  private Process probe;

  @BeforeEach
  void setUp() throws IOException {
    dir = Files.createTempDirectory("tandem-embedded-test");
  }

  @AfterEach
  void tearDown() throws Exception {
    if (probe != null && probe.isAlive()) {
      probe.destroyForcibly().waitFor();
    }
    // Never leave a redis behind, whatever the test did.
    Path pidFile = dir.resolve("redis/redis-server.pid");
    if (Files.exists(pidFile)) {
      long pid = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
      ProcessHandle.of(pid).ifPresent(h -> {
        h.destroyForcibly();
        h.onExit().join();
      });
    }
    RedisServerExtension.deleteTree(dir);
  }

  @Test
  void startsPersistsAndStops() throws Exception {
    long pid;
    try (EmbeddedRedis r = EmbeddedRedis.start(new EmbeddedRedis.Options(dir))) {
      pid = r.pid();
      assertThat(r.isAlive()).isTrue();
      assertThat(EmbeddedRedis.ping(r.port())).isEqualTo("+PONG");
      assertThat(command(r.port(), "CONFIG", "GET", "appendonly")).contains("yes");
      assertThat(command(r.port(), "CONFIG", "GET", "appendfsync")).contains("always");
      assertThat(command(r.port(), "CONFIG", "GET", "bind")).contains("127.0.0.1");
      assertThat(command(r.port(), "SET", "k", "v1")).isEqualTo("+OK");
      assertThat(Files.exists(dir.resolve("redis/redis-server.pid"))).isTrue();
      assertThat(Files.readString(dir.resolve("tandem.lock")).trim()).isEqualTo(Long.toString(ProcessHandle.current().pid()));
    }
    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    assertThat(Files.exists(dir.resolve("redis/redis-server.pid"))).isFalse();
    assertThat(Files.exists(dir.resolve("redis/appendonly.aof"))).isTrue();

    // Restart on the same directory: data is back (from the AOF).
    try (EmbeddedRedis r = EmbeddedRedis.start(new EmbeddedRedis.Options(dir))) {
      assertThat(command(r.port(), "GET", "k")).isEqualTo("v1");
    }
  }

  @Test
  void secondInstanceInSameJvmIsRefused() {
    try (EmbeddedRedis r = EmbeddedRedis.start(new EmbeddedRedis.Options(dir))) {
      assertThatThrownBy(() -> EmbeddedRedis.start(new EmbeddedRedis.Options(dir)))
          .isInstanceOf(DataDirLockedException.class)
          .hasMessageContaining("in use by another Tandem server");
      assertThat(r.isAlive()).isTrue();
      assertThat(EmbeddedRedis.ping(r.port())).isEqualTo("+PONG");
    }
    // Released: a new start works.
    EmbeddedRedis.start(new EmbeddedRedis.Options(dir)).stop();
  }

  @Test
  void otherProcessIsRefusedAndOrphanAfterSigkillIsCleanedUp() throws Exception {
    // A server in another JVM owns the data dir.
    String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    probe = new ProcessBuilder(java.toString(), "-cp", classpath, EmbeddedRedisProbe.class.getName(), dir.toString())
        .redirectErrorStream(true).start();
    BufferedReader out = new BufferedReader(new InputStreamReader(probe.getInputStream(), StandardCharsets.UTF_8));
    String line;
    StringBuilder seen = new StringBuilder();
    while ((line = out.readLine()) != null && !line.startsWith("READY ")) {
      seen.append(line).append('\n');
    }
    assertThat(line).as("probe output: %s", seen).isNotNull();
    String[] parts = line.split(" ");
    int port = Integer.parseInt(parts[1]);
    long redisPid = Long.parseLong(parts[2]);
    assertThat(command(port, "SET", "survivor", "\u00e9t\u00e9")).isEqualTo("+OK");

    // A second server on the same directory is refused while the first lives.
    assertThatThrownBy(() -> EmbeddedRedis.start(new EmbeddedRedis.Options(dir)))
        .isInstanceOf(DataDirLockedException.class)
        .hasMessageContaining("pid " + probe.pid());

    // SIGKILL the server JVM: its Redis child survives as an orphan.
    probe.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    Optional<ProcessHandle> orphan = ProcessHandle.of(redisPid);
    assertThat(orphan).isPresent();
    assertThat(orphan.get().isAlive()).isTrue();

    // The next start stops the orphan and comes up on the same data.
    try (EmbeddedRedis r = EmbeddedRedis.start(new EmbeddedRedis.Options(dir))) {
      assertThat(orphan.get().isAlive()).isFalse();
      assertThat(r.pid()).isNotEqualTo(redisPid);
      assertThat(command(r.port(), "GET", "survivor")).isEqualTo("\u00e9t\u00e9");
    }
  }

  @Test
  void stalePidFileIsIgnored() throws Exception {
    Files.createDirectories(dir.resolve("redis"));
    // A pid that is certainly not a redis-server: this JVM.
    Files.writeString(dir.resolve("redis/redis-server.pid"), ProcessHandle.current().pid() + "\n1\n/nope\n");
    try (EmbeddedRedis r = EmbeddedRedis.start(new EmbeddedRedis.Options(dir))) {
      assertThat(EmbeddedRedis.ping(r.port())).isEqualTo("+PONG");
    }
  }

  @Test
  void bundledBinaryIsFoundInTheJar() {
    assertThat(RedisBinary.listBundled()).anyMatch(n -> n.contains("linux-amd64"));
    assertThat(RedisBinary.bundledResourceName()).startsWith("redis-server-6.2");
  }

  /** Minimal blocking RESP client for assertions (bulk/simple replies only). */
  static String command(int port, String... args) throws IOException {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(5000);
      OutputStream o = s.getOutputStream();
      StringBuilder b = new StringBuilder("*" + args.length + "\r\n");
      for (String a : args) {
        b.append('$').append(a.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(a).append("\r\n");
      }
      o.write(b.toString().getBytes(StandardCharsets.UTF_8));
      o.flush();
      InputStream in = s.getInputStream();
      String first = readLine(in);
      if (first.startsWith("$")) {
        int len = Integer.parseInt(first.substring(1));
        return len < 0 ? null : new String(in.readNBytes(len + 2), 0, len, StandardCharsets.UTF_8);
      }
      if (first.startsWith("*")) {
        int n = Integer.parseInt(first.substring(1));
        StringBuilder all = new StringBuilder();
        for (int i = 0; i < n; i++) {
          String h = readLine(in);
          int len = Integer.parseInt(h.substring(1));
          all.append(new String(in.readNBytes(len + 2), 0, len, StandardCharsets.UTF_8)).append(' ');
        }
        return all.toString().trim();
      }
      return first;
    }
  }

  private static String readLine(InputStream in) throws IOException {
    java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
    int c;
    while ((c = in.read()) != '\r') {
      if (c == -1) {
        throw new IOException("eof");
      }
      b.write(c);
    }
    in.read();
    return b.toString(StandardCharsets.UTF_8);
  }

}
