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

  /**
   * A structured event: {@code event} (a fixed dotted name such as {@code drain.start}) with
   * key/value pairs ({@code kv}: key, value, key, value, ...). Text lines show
   * {@code event=drain.start key=value ...}, JSON lines carry {@code "event"} and each key as a
   * property. Values are redacted like every message; never pass document contents.
   */
  public static void event(Logger log, java.util.logging.Level level, String event, Object... kv) {
    if (!log.isLoggable(level)) {
      return;
    }
    LogRecord r = new LogRecord(level, event);
    r.setLoggerName(log.getName());
    r.setParameters(new Object[] {new Event(event, kv)});
    log.log(r);
  }

  /** The payload of {@link #event}; its toString is the key=value form (for foreign formatters). */
  record Event(String name, Object[] kv) {
    @Override
    public String toString() {
      StringBuilder b = new StringBuilder("event=").append(name);
      for (int i = 0; i + 1 < kv.length; i += 2) {
        b.append(' ').append(kv[i]).append('=').append(TextFormatter.quote(String.valueOf(kv[i + 1])));
      }
      return b.toString();
    }
  }

  private static Event eventOf(LogRecord r) {
    Object[] p = r.getParameters();
    return p != null && p.length == 1 && p[0] instanceof Event e ? e : null;
  }

  /**
   * One line per record, {@code key=value}:
   * {@code ts=2024-01-01T12:00:00.000Z level=INFO logger=TandemServer msg="..."} (or
   * {@code event=name k=v ...} for {@link #event}s), and {@code error="..."} with the stack trace
   * folded onto the same line ({@code \n} escaped). Values with spaces, quotes or {@code =} are quoted.
   */
  static final class TextFormatter extends Formatter {
    private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
        .withZone(ZoneOffset.UTC);

    @Override
    public String format(LogRecord r) {
      StringBuilder b = new StringBuilder();
      b.append("ts=").append(TS.format(r.getInstant())).append(" level=").append(r.getLevel().getName())
          .append(" logger=").append(shortName(r.getLoggerName())).append(' ');
      Event e = eventOf(r);
      if (e != null) {
        b.append(redact(e.toString()));
      } else {
        b.append("msg=").append(quote(redact(formatMessage(r))));
      }
      if (r.getThrown() != null) {
        b.append(" error=").append(quote(stackTrace(r.getThrown())));
      }
      return b.append('\n').toString();
    }

    /** The value as is when it is a plain token, else in double quotes with {@code \ " \n \r \t} escaped. */
    static String quote(String v) {
      if (v == null) {
        return "null";
      }
      boolean plain = !v.isEmpty();
      for (int i = 0; i < v.length() && plain; i++) {
        char c = v.charAt(i);
        plain = c > ' ' && c != '"' && c != '=' && c != '\\' && c < 0x7f;
      }
      if (plain) {
        return v;
      }
      StringBuilder b = new StringBuilder(v.length() + 8).append('"');
      for (int i = 0; i < v.length(); i++) {
        char c = v.charAt(i);
        switch (c) {
          case '"' -> b.append("\\\"");
          case '\\' -> b.append("\\\\");
          case '\n' -> b.append("\\n");
          case '\r' -> b.append("\\r");
          case '\t' -> b.append("\\t");
          default -> {
            if (c < ' ') {
              b.append(String.format("\\u%04x", (int) c));
            } else {
              b.append(c);
            }
          }
        }
      }
      return b.append('"').toString();
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
      Event e = eventOf(r);
      if (e != null) {
        o.put("event", e.name());
        for (int i = 0; i + 1 < e.kv().length; i += 2) {
          Object v = e.kv()[i + 1];
          String k = String.valueOf(e.kv()[i]);
          if (v instanceof Number n && !(v instanceof Double d && (d.isNaN() || d.isInfinite()))) {
            o.putPOJO(k, n);
          } else if (v instanceof Boolean bo) {
            o.put(k, bo);
          } else {
            o.put(k, redact(String.valueOf(v)));
          }
        }
      } else {
        o.put("message", redact(formatMessage(r)));
      }
      if (r.getThrown() != null) {
        o.put("error", stackTrace(r.getThrown()));
      }
      return o.toString() + "\n";
    }
  }
}
