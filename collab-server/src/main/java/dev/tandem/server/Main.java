package dev.tandem.server;

import dev.tandem.server.config.ConfigException;
import dev.tandem.server.config.ConfigLoader;
import dev.tandem.server.config.ServerConfig;
import dev.tandem.server.config.Setting;
import dev.tandem.server.config.Settings;
import dev.tandem.server.redis.RedisStartException;
import java.util.Arrays;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code java -jar collab-server.jar [--config FILE] [--key=value ...]}: loads the configuration,
 * starts the node, and stops it on SIGTERM/SIGINT. Exit codes: 2 = invalid configuration, 1 = start
 * failed (for example the data dir is locked by another server). On SIGTERM/SIGINT the node drains
 * ({@link TandemServer#stop}) and exits 0, or 1 when buffered writes had to be abandoned.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    Logging.installManager();
    if (Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h")) {
      printHelp();
      return;
    }
    ServerConfig config;
    try {
      config = ConfigLoader.load(args);
    } catch (ConfigException e) {
      System.err.println("tandem: " + e.getMessage());
      System.exit(2);
      return;
    }
    Logging.configure(config.logFormat(), config.logLevel());
    Logger log = Logger.getLogger(Main.class.getName());
    TandemServer server;
    try {
      server = TandemServer.start(config);
    } catch (ConfigException e) {
      log.severe("Cannot start: " + e.getMessage());
      System.exit(2);
      return;
    } catch (RedisStartException e) {
      log.severe("Cannot start: " + e.getMessage());
      System.exit(1);
      return;
    } catch (Exception e) {
      log.log(Level.SEVERE, "Cannot start", e);
      System.exit(1);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.stop();
      Logging.shutdown();
    }, "tandem-shutdown"));
    // SIGTERM / SIGINT: graceful drain, then exit 0 (everything flushed) or 1 (buffered writes
    // abandoned at drain.timeout); the shutdown hook alone would end with 143 / 130.
    for (String sig : new String[] {"TERM", "INT"}) {
      onSignal(sig, () -> {
        server.markDraining(); // not ready from this instant
        new Thread(() -> System.exit(server.stop() ? 0 : 1), "tandem-drain").start();
      }, log);
    }
  }

  private static void onSignal(String name, Runnable action, Logger log) {
    try {
      sun.misc.Signal.handle(new sun.misc.Signal(name), s -> action.run());
    } catch (IllegalArgumentException | UnsupportedOperationException | LinkageError e) {
      log.fine(() -> "no handler for SIG" + name + " (the shutdown hook still drains): " + e);
    }
  }

  private static void printHelp() {
    StringBuilder b = new StringBuilder("usage: java -jar collab-server.jar [--config FILE] [--key=value ...]\n\n"
        + "Settings (key, environment variable, default); README.md, Configuration, describes each:\n");
    for (Setting<?> s : Settings.ALL) {
      b.append(String.format("  --%-26s %-32s %s%n", s.key(), s.env(), s.defaultValue().isEmpty() ? "(empty)" : s.defaultValue()));
    }
    System.out.print(b);
  }
}
