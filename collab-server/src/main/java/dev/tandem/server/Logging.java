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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
    h.setFormatter(formatter(format));
    root.addHandler(h);
    root.setLevel(level.jul());
    // Netty is chatty at FINE; keep it at INFO unless tracing.
    if (level != LogLevel.TRACE) {
      Logger.getLogger("io.netty").setLevel(java.util.logging.Level.INFO);
    }
  }

  /** The formatter {@link #configure} installs for {@code format} (tests run records through it). */
  public static Formatter formatter(LogFormat format) {
    return format == LogFormat.JSON ? new JsonFormatter() : new TextFormatter();
  }

  /** A JWT (three base64url parts, the header starting with {@code {"}), a {@code token=} query value, a bearer credential. */
  private static final Pattern SECRETS = Pattern.compile(
      "eyJ[A-Za-z0-9_-]*\\.[A-Za-z0-9_-]*\\.[A-Za-z0-9_-]*|(?i)(token=)[^&\\s\"']+|(?i)(bearer\\s+)[^\\s\"',]+");

  /**
   * Every line goes through this: tokens never reach the log, whoever logs them (Vert.x Web traces
   * request URIs, which carry {@code ?token=} on {@code /ws/...}).
   */
  public static String redact(String s) {
    if (s == null) {
      return null;
    }
    Matcher m = SECRETS.matcher(s);
    if (!m.find()) {
      return s;
    }
    StringBuilder b = new StringBuilder();
    do {
      String keep = m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : "";
      m.appendReplacement(b, Matcher.quoteReplacement(keep + "***"));
    } while (m.find());
    m.appendTail(b);
    return b.toString();
  }

  private static String stackTrace(Throwable t) {
    StringWriter w = new StringWriter();
    t.printStackTrace(new PrintWriter(w));
    return redact(w.toString());
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
          .append(shortName(r.getLoggerName())).append("] ").append(redact(formatMessage(r))).append('\n');
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
      o.put("message", redact(formatMessage(r)));
      if (r.getThrown() != null) {
        o.put("error", stackTrace(r.getThrown()));
      }
      return o.toString() + "\n";
    }
  }
}
