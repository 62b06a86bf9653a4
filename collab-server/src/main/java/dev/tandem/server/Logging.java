package dev.tandem.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tandem.server.config.LogFormat;
import dev.tandem.server.config.LogLevel;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Logging setup. The server, Vert.x and Netty all log through java.util.logging (no logging library
 * on the class path); this installs one stderr handler with a text or JSON-lines formatter.
 */
public final class Logging {
  private Logging() {}

  /**
   * Must run before anything logs: installs {@link Manager} so the JDK's own shutdown hook does not
   * close the log handlers while the server's shutdown hook still logs its orderly stop.
   */
  public static void installManager() {
    System.setProperty("java.util.logging.manager", Manager.class.getName());
  }

  /** Flushes and closes the handlers; the last thing the shutdown hook does. */
  public static void shutdown() {
    if (LogManager.getLogManager() instanceof Manager m) {
      m.reallyReset();
    }
  }

  /** A LogManager whose {@code reset()} during JVM shutdown is deferred to {@link #shutdown()}. */
  public static final class Manager extends LogManager {
    private volatile boolean shuttingDown;

    public Manager() {
      try {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> shuttingDown = true));
      } catch (IllegalStateException ignored) {
        // already shutting down
      }
    }

    @Override
    public void reset() {
      if (!shuttingDown && !isShutdownThread()) {
        super.reset();
      }
    }

    private static boolean isShutdownThread() {
      // The JDK's LogManager$Cleaner hook calls reset(); leave the handlers to Logging.shutdown().
      return Thread.currentThread().getClass().getName().startsWith("java.util.logging.LogManager");
    }

    void reallyReset() {
      super.reset();
    }
  }

  public static void configure(LogFormat format, LogLevel level) {
    LogManager.getLogManager().reset();
    Logger root = Logger.getLogger("");
    Handler h = new ConsoleHandler();
    h.setLevel(level.jul());
    h.setFormatter(format == LogFormat.JSON ? new JsonFormatter() : new TextFormatter());
    root.addHandler(h);
    root.setLevel(level.jul());
    // Netty is chatty at FINE; keep it at INFO unless tracing.
    if (level != LogLevel.TRACE) {
      Logger.getLogger("io.netty").setLevel(java.util.logging.Level.INFO);
    }
  }

  private static String stackTrace(Throwable t) {
    StringWriter w = new StringWriter();
    t.printStackTrace(new PrintWriter(w));
    return w.toString();
  }

  /** {@code 2024-01-01T12:00:00.000Z INFO  [logger] message}. */
  static final class TextFormatter extends Formatter {
    private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
        .withZone(ZoneOffset.UTC);

    @Override
    public String format(LogRecord r) {
      StringBuilder b = new StringBuilder();
      b.append(TS.format(r.getInstant())).append(' ')
          .append(String.format("%-7s", r.getLevel().getName())).append(" [")
          .append(shortName(r.getLoggerName())).append("] ").append(formatMessage(r)).append('\n');
      if (r.getThrown() != null) {
        b.append(stackTrace(r.getThrown()));
      }
      return b.toString();
    }

    private static String shortName(String n) {
      if (n == null) {
        return "";
      }
      int i = n.lastIndexOf('.');
      return i < 0 ? n : n.substring(i + 1);
    }
  }

  /** One JSON object per line: ts, level, logger, thread, message, error. */
  static final class JsonFormatter extends Formatter {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public String format(LogRecord r) {
      ObjectNode o = JSON.createObjectNode();
      o.put("ts", Instant.ofEpochMilli(r.getMillis()).toString());
      o.put("level", r.getLevel().getName());
      o.put("logger", r.getLoggerName());
      o.put("thread", Thread.currentThread().getName());
      o.put("message", formatMessage(r));
      if (r.getThrown() != null) {
        o.put("error", stackTrace(r.getThrown()));
      }
      return o.toString() + "\n";
    }
  }
}
