package dev.tandem.server.redis;

import dev.tandem.server.config.FsyncPolicy;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Supervises a real Redis child process for the single-node default (no {@code redis.url}).
 *
 * <p>Layout in the data directory:
 * <pre>
 *   data/tandem.lock           exclusive file lock held while this server runs (holder pid inside)
 *   data/bin/redis-server-*    the bundled binary, extracted (unless redis-server 6.2+ is on PATH)
 *   data/redis/appendonly.aof  the append-only file (Redis' durable state)
 *   data/redis/redis.log       Redis' own log
 *   data/redis/redis-server.pid  pid, port and binary of the running child
 * </pre>
 *
 * <p>Redis binds to 127.0.0.1 on a free port with {@code appendonly yes}, RDB snapshots off, and
 * {@code appendfsync} from {@link FsyncPolicy} (default {@code always}: Redis fsyncs the AOF before
 * it replies, so an acknowledged update survives a crash of the machine; writes arriving in one event
 * loop iteration share one fsync). A second server on the same data directory fails with
 * {@link DataDirLockedException}. When a previous server died without stopping its child (SIGKILL),
 * the child is found through the pid file and stopped with SIGTERM (Redis flushes its AOF on
 * SIGTERM) before a fresh child starts on the same files. {@link #stop()} (also run from a shutdown
 * hook) stops the child with SIGTERM, waits, and releases the lock.
 */
public final class EmbeddedRedis implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(EmbeddedRedis.class.getName());
  private static final Set<Path> LOCKED_IN_THIS_JVM = ConcurrentHashMap.newKeySet();
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(15);

  /** How to run the child. */
  public record Options(Path dataDir, FsyncPolicy fsync, Duration startTimeout, boolean bundledOnly,
      boolean shutdownHook) {
    public Options(Path dataDir) {
      this(dataDir, FsyncPolicy.ALWAYS, Duration.ofSeconds(60), false, true);
    }

    public Options withFsync(FsyncPolicy f) {
      return new Options(dataDir, f, startTimeout, bundledOnly, shutdownHook);
    }

    /** Ignore any redis-server on PATH and run the bundled binary. */
    public Options withBundledOnly(boolean b) {
      return new Options(dataDir, fsync, startTimeout, b, shutdownHook);
    }

    /**
     * Whether to register a JVM shutdown hook that stops the child. Off when the caller stops it
     * from its own hook, after draining (see {@code TandemServer}).
     */
    public Options withShutdownHook(boolean b) {
      return new Options(dataDir, fsync, startTimeout, bundledOnly, b);
    }
  }

  private final Path dataDir;
  private final Path redisDir;
  private final Path pidFile;
  private final Path lockPath;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private final FsyncPolicy fsync;
  private final Duration startTimeout;
  private volatile Process process;
  private final int port;
  private final RedisBinary binary;
  private final Thread shutdownHook;
  private volatile boolean stopped;

  private EmbeddedRedis(Path dataDir, Path lockPath, FileChannel lockChannel, FileLock lock, Process process,
      int port, RedisBinary binary, FsyncPolicy fsync, Duration startTimeout) {
    this.fsync = fsync;
    this.startTimeout = startTimeout;
    this.dataDir = dataDir;
    this.redisDir = dataDir.resolve("redis");
    this.pidFile = redisDir.resolve("redis-server.pid");
    this.lockPath = lockPath;
    this.lockChannel = lockChannel;
    this.lock = lock;
    this.process = process;
    this.port = port;
    this.binary = binary;
    this.shutdownHook = new Thread(this::stop, "tandem-embedded-redis-stop");
  }

  /**
   * Locks the data directory, cleans up an orphaned child, starts Redis and waits until it answers
   * PING. Blocking: call it before (or outside) any event loop.
   */
  public static EmbeddedRedis start(Options options) {
    Path dataDir;
    try {
      Files.createDirectories(options.dataDir());
      dataDir = options.dataDir().toRealPath();
    } catch (IOException e) {
      throw new RedisStartException("cannot create data dir " + options.dataDir() + ": " + e, e);
    }
    Path lockPath = dataDir.resolve("tandem.lock");
    if (!LOCKED_IN_THIS_JVM.add(dataDir)) {
      throw new DataDirLockedException(dataDir, "this process, pid " + ProcessHandle.current().pid(), lockPath);
    }
    FileChannel channel = null;
    FileLock lock = null;
    try {
      channel = FileChannel.open(lockPath, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
      lock = channel.tryLock();
      if (lock == null) {
        String holder = "unknown pid";
        try {
          String content = Files.readString(lockPath).trim();
          if (!content.isEmpty()) {
            holder = "pid " + content;
          }
        } catch (IOException ignored) {
          // best effort: the message is still clear without the pid
        }
        throw new DataDirLockedException(dataDir, holder, lockPath);
      }
      channel.truncate(0);
      channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
      channel.force(true);

      Path redisDir = dataDir.resolve("redis");
      Files.createDirectories(redisDir);
      stopOrphan(redisDir.resolve("redis-server.pid"));

      RedisBinary binary = options.bundledOnly()
          ? RedisBinary.extractBundled(dataDir.resolve("bin"))
          : RedisBinary.resolve(dataDir.resolve("bin"));

      RedisStartException last = null;
      for (int attempt = 0; attempt < 5; attempt++) {
        int port = freePort();
        Process p = launch(binary, redisDir, port, options.fsync());
        writePidFile(redisDir.resolve("redis-server.pid"), p.pid(), port, binary.path());
        try {
          awaitReady(p, port, options.startTimeout(), redisDir.resolve("redis.log"));
        } catch (PortInUseException e) {
          last = e;
          destroy(p);
          continue;
        } catch (RuntimeException e) {
          destroy(p);
          Files.deleteIfExists(redisDir.resolve("redis-server.pid"));
          throw e;
        }
        EmbeddedRedis r = new EmbeddedRedis(dataDir, lockPath, channel, lock, p, port, binary, options.fsync(),
            options.startTimeout());
        if (options.shutdownHook()) {
          Runtime.getRuntime().addShutdownHook(r.shutdownHook);
        }
        LOG.info(() -> "Embedded Redis (" + binary.origin() + ", pid " + p.pid() + ") listening on 127.0.0.1:" + port
            + ", data in " + redisDir + " (append-only, appendfsync " + options.fsync().redisValue()
            + "). This mode is for a single node; set redis.url to share a Redis between nodes.");
        return r;
      }
      throw last;
    } catch (IOException e) {
      release(channel, lock, dataDir);
      throw new RedisStartException("cannot start embedded Redis in " + dataDir + ": " + e, e);
    } catch (RuntimeException e) {
      release(channel, lock, dataDir);
      throw e;
    }
  }

  public int port() {
    return port;
  }

  public String host() {
    return "127.0.0.1";
  }

  /** A connection string for vertx-redis-client. */
  public String connectionString() {
    return "redis://127.0.0.1:" + port;
  }

  public long pid() {
    return process.pid();
  }

  public Path dataDir() {
    return dataDir;
  }

  public RedisBinary binary() {
    return binary;
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /**
   * Kills the child with SIGKILL, as a crash would (what it had answered is in its append-only file:
   * Redis writes the AOF before it replies). Keeps the lock; {@link #restart()} starts it again.
   * For failure tests and a supervisor; blocking.
   */
  public synchronized void kill() {
    Process p = process;
    p.destroyForcibly();
    try {
      p.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Starts a fresh child on the same port and data directory (stopping the current one with SIGTERM
   * first if it still runs) and waits until it answers PING. Fails if the port was taken meanwhile.
   * Blocking.
   */
  public synchronized void restart() {
    if (stopped) {
      throw new IllegalStateException("stopped");
    }
    destroy(process);
    try {
      Process p = launch(binary, redisDir, port, fsync);
      writePidFile(pidFile, p.pid(), port, binary.path());
      process = p;
      awaitReady(p, port, startTimeout, redisDir.resolve("redis.log"));
    } catch (IOException e) {
      throw new RedisStartException("cannot restart embedded Redis in " + dataDir + ": " + e, e);
    }
    LOG.info(() -> "Embedded Redis restarted (pid " + process.pid() + ") on 127.0.0.1:" + port);
  }

  /** Stops the child (SIGTERM, then SIGKILL after a timeout) and releases the lock. Idempotent; blocking. */
  public synchronized void stop() {
    if (stopped) {
      return;
    }
    stopped = true;
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException | IllegalArgumentException ignored) {
      // already shutting down, or running as the hook itself
    }
    destroy(process);
    try {
      Files.deleteIfExists(pidFile);
    } catch (IOException e) {
      LOG.log(Level.WARNING, "cannot delete " + pidFile, e);
    }
    release(lockChannel, lock, dataDir);
    LOG.info(() -> "Embedded Redis stopped (data kept in " + redisDir + ")");
  }

  @Override
  public void close() {
    stop();
  }

  // --- internals ---------------------------------------------------------------------------

  private static Process launch(RedisBinary binary, Path redisDir, int port, FsyncPolicy fsync) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(
        binary.path().toString(),
        "--bind", "127.0.0.1",
        "--port", Integer.toString(port),
        "--protected-mode", "yes",
        "--daemonize", "no",
        "--dir", redisDir.toString(),
        "--appendonly", "yes",
        "--appendfilename", "appendonly.aof",
        "--appendfsync", fsync.redisValue(),
        "--aof-use-rdb-preamble", "yes",
        "--aof-load-truncated", "yes",
        "--save", "",
        "--logfile", redisDir.resolve("redis.log").toString(),
        "--always-show-logo", "no"));
    ProcessBuilder pb = new ProcessBuilder(cmd)
        .directory(redisDir.toFile())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(redisDir.resolve("redis.stdout").toFile()))
        .redirectInput(ProcessBuilder.Redirect.from(nullDevice()));
    return pb.start();
  }

  private static java.io.File nullDevice() {
    return new java.io.File(System.getProperty("os.name", "").startsWith("Windows") ? "NUL" : "/dev/null");
  }

  private static void writePidFile(Path pidFile, long pid, int port, Path binary) throws IOException {
    Path tmp = pidFile.resolveSibling(pidFile.getFileName() + ".tmp");
    Files.writeString(tmp, pid + "\n" + port + "\n" + binary + "\n");
    Files.move(tmp, pidFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  /**
   * A pid file left behind means the previous server did not stop its child. If that pid is alive
   * and is a redis-server, it is an orphan holding our files: stop it (SIGTERM flushes its AOF).
   */
  static void stopOrphan(Path pidFile) throws IOException {
    if (!Files.exists(pidFile)) {
      return;
    }
    List<String> lines = Files.readAllLines(pidFile);
    long pid;
    try {
      pid = Long.parseLong(lines.get(0).trim());
    } catch (RuntimeException e) {
      LOG.warning("ignoring unreadable pid file " + pidFile);
      Files.deleteIfExists(pidFile);
      return;
    }
    String expectedBinary = lines.size() > 2 ? lines.get(2).trim() : "";
    Optional<ProcessHandle> handle = ProcessHandle.of(pid);
    if (handle.isPresent() && handle.get().isAlive() && isRedis(handle.get(), expectedBinary)) {
      LOG.warning("Found orphaned embedded Redis (pid " + pid + ") from a server that did not stop cleanly;"
          + " stopping it before starting a fresh one on the same data");
      ProcessHandle h = handle.get();
      h.destroy();
      try {
        h.onExit().get(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (Exception e) {
        LOG.warning("orphaned Redis pid " + pid + " ignored SIGTERM; killing it");
        h.destroyForcibly();
        try {
          h.onExit().get(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e2) {
          throw new RedisStartException("cannot stop orphaned Redis pid " + pid + " (see " + pidFile + ")", e2);
        }
      }
    } else {
      LOG.info("removing stale pid file " + pidFile + " (pid " + pid + " is not a running redis-server)");
    }
    Files.deleteIfExists(pidFile);
  }

  private static boolean isRedis(ProcessHandle h, String expectedBinary) {
    ProcessHandle.Info info = h.info();
    String command = info.command().orElse("");
    String commandLine = info.commandLine().orElse("");
    if (!expectedBinary.isEmpty() && command.equals(expectedBinary)) {
      return true;
    }
    return command.contains("redis-server") || commandLine.contains("redis-server");
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(false);
      s.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
      return s.getLocalPort();
    }
  }

  private static final class PortInUseException extends RedisStartException {
    PortInUseException(String message) {
      super(message);
    }
  }

  private static void awaitReady(Process p, int port, Duration timeout, Path logFile) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!p.isAlive()) {
        String tail = tail(logFile);
        if (tail.contains("Address already in use")) {
          throw new PortInUseException("port " + port + " taken");
        }
        throw new RedisStartException("embedded Redis exited with code " + p.exitValue() + " during start; log "
            + logFile + ":\n" + tail);
      }
      if ("+PONG".equals(ping(port))) {
        return;
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new RedisStartException("interrupted while waiting for embedded Redis");
      }
    }
    throw new RedisStartException("embedded Redis did not answer PING within " + timeout + "; log " + logFile
        + ":\n" + tail(logFile));
  }

  /** One blocking RESP PING; returns the reply line or null. Used only at startup. */
  static String ping(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 200);
      s.setSoTimeout(1000);
      OutputStream out = s.getOutputStream();
      out.write("*1\r\n$4\r\nPING\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      StringBuilder line = new StringBuilder();
      int c;
      while ((c = in.read()) != -1 && c != '\r') {
        line.append((char) c);
      }
      return line.toString();
    } catch (IOException e) {
      return null;
    }
  }

  private static String tail(Path logFile) {
    try {
      List<String> lines = Files.readAllLines(logFile);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
    } catch (IOException e) {
      return "(no log)";
    }
  }

  private static void destroy(Process p) {
    if (!p.isAlive()) {
      return;
    }
    p.destroy();
    try {
      if (!p.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warning("embedded Redis pid " + p.pid() + " did not stop within " + STOP_TIMEOUT + "; killing it");
        p.destroyForcibly();
        p.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
    }
  }

  private static void release(FileChannel channel, FileLock lock, Path dataDir) {
    try {
      if (lock != null && lock.isValid()) {
        lock.release();
      }
      if (channel != null) {
        channel.close();
      }
    } catch (IOException e) {
      LOG.log(Level.WARNING, "cannot release data dir lock", e);
    } finally {
      LOCKED_IN_THIS_JVM.remove(dataDir);
    }
  }
}
