package dev.tandem.load;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Settings of one load run. Parsed from {@code --key=value} (or {@code --key value}) arguments;
 * every setting has a default that is the full measurement (100 documents x 10 clients x 5
 * updates/s, 10 s warm-up, 60 s measured).
 */
public record LoadOptions(
    String url,
    long serverPid,
    Path serverJar,
    String serverJvmOpts,
    List<String> serverArgs,
    int documents,
    int clientsPerDocument,
    double ratePerClient,
    double jitter,
    Duration rampUp,
    Duration warmUp,
    Duration duration,
    Duration drain,
    long seed,
    Path jsonOut,
    Path workDir,
    boolean keepData,
    Duration targetP99,
    boolean checkContent,
    Protocol protocol) {

  /** The wire protocol the simulated clients speak ({@link ClientWire}). */
  public enum Protocol {
    Y_WEBSOCKET("y-websocket"),
    HOCUSPOCUS("hocuspocus");

    final String option;

    Protocol(String option) {
      this.option = option;
    }

    static Protocol parse(String value) {
      for (Protocol p : values()) {
        if (p.option.equals(value)) {
          return p;
        }
      }
      throw new IllegalArgumentException("--protocol must be y-websocket or hocuspocus, not " + value);
    }
  }

  public static final String USAGE = """
      Usage: java -jar load-tests/target/load-harness.jar [options]
        --url=ws://host:port       server to load (default: start collab-server.jar as a child process)
        --server-pid=PID           with --url: measure this local process's CPU/heap
        --server-jar=PATH          default: collab-server/target/collab-server.jar (searched upwards)
        --server-jvm-opts="..."    JVM options of the child server (default: none, JVM defaults)
        --server-arg=--key=value   extra collab-server setting (repeatable)
        --docs=100                 documents
        --clients=10               clients per document
        --rate=5                   updates per second per client
        --jitter=0.5               inter-update gap is period x U(1-j, 1+j)
        --ramp-up=5s               connections are spread over this time
        --warmup=10s               typing before measurement starts (checked for losses, not timed)
        --duration=60s             measured typing time
        --drain=10s                max wait for outstanding deliveries after typing stops
        --seed=1                   random seed (client ids, jitter)
        --json-out=FILE            also write the JSON report there
        --work-dir=DIR             server data + log folder (default: a temp folder)
        --keep-data                keep the work folder
        --target-p99=20ms          p99 target the report compares against (does not fail the run)
        --check-content=true       after the run, check each document's text via REST (Tandem only)
        --protocol=y-websocket     what the clients speak: y-websocket (/ws/<doc>) or hocuspocus
                                   (/hocuspocus, one document per socket, as provider 4.8.0 does)
      Exit code: 0 = no lost delivery, 1 = lost deliveries or a client failure, 2 = bad options.
      """;

  public static LoadOptions defaults() {
    return new LoadOptions(null, -1, null, "", List.of(), 100, 10, 5.0, 0.5,
        Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(60), Duration.ofSeconds(10),
        1, null, null, false, Duration.ofMillis(20), true, Protocol.Y_WEBSOCKET);
  }

  public static LoadOptions parse(String[] args) {
    LoadOptions o = defaults();
    List<String> serverArgs = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (!a.startsWith("--")) {
        throw new IllegalArgumentException("unexpected argument: " + a);
      }
      String key;
      String value;
      int eq = a.indexOf('=');
      if (eq > 0) {
        key = a.substring(2, eq);
        value = a.substring(eq + 1);
      } else {
        key = a.substring(2);
        if (key.equals("keep-data") || key.equals("help")) {
          value = "true";
        } else if (i + 1 < args.length) {
          value = args[++i];
        } else {
          throw new IllegalArgumentException("missing value for --" + key);
        }
      }
      switch (key) {
        case "help" -> throw new IllegalArgumentException("help");
        case "url" -> o = o.with(b -> b.url = value);
        case "server-pid" -> o = o.with(b -> b.serverPid = Long.parseLong(value));
        case "server-jar" -> o = o.with(b -> b.serverJar = Path.of(value));
        case "server-jvm-opts" -> o = o.with(b -> b.serverJvmOpts = value);
        case "server-arg" -> serverArgs.add(value);
        case "docs" -> o = o.with(b -> b.documents = positiveInt(key, value));
        case "clients" -> o = o.with(b -> b.clients = positiveInt(key, value));
        case "rate" -> o = o.with(b -> b.rate = positiveDouble(key, value));
        case "jitter" -> o = o.with(b -> b.jitter = fraction(key, value));
        case "ramp-up" -> o = o.with(b -> b.rampUp = duration(key, value));
        case "warmup", "warm-up" -> o = o.with(b -> b.warmUp = duration(key, value));
        case "duration" -> o = o.with(b -> b.duration = duration(key, value));
        case "drain" -> o = o.with(b -> b.drain = duration(key, value));
        case "seed" -> o = o.with(b -> b.seed = Long.parseLong(value));
        case "json-out" -> o = o.with(b -> b.jsonOut = Path.of(value));
        case "work-dir" -> o = o.with(b -> b.workDir = Path.of(value));
        case "keep-data" -> o = o.with(b -> b.keepData = Boolean.parseBoolean(value));
        case "target-p99" -> o = o.with(b -> b.targetP99 = duration(key, value));
        case "check-content" -> o = o.with(b -> b.checkContent = Boolean.parseBoolean(value));
        case "protocol" -> o = o.with(b -> b.protocol = Protocol.parse(value));
        default -> throw new IllegalArgumentException("unknown option --" + key);
      }
    }
    List<String> sa = List.copyOf(serverArgs);
    o = o.with(b -> b.serverArgs = sa);
    if (o.clientsPerDocument < 2) {
      throw new IllegalArgumentException("--clients must be at least 2 (deliveries go to the other clients)");
    }
    if (o.duration.isZero()) {
      throw new IllegalArgumentException("--duration must be positive");
    }
    return o;
  }

  /** Expected deliveries per update: every other client of the document. */
  public int receiversPerUpdate() {
    return clientsPerDocument - 1;
  }

  public int totalClients() {
    return documents * clientsPerDocument;
  }

  // --- a small builder so options can be changed one at a time (tests use it too) ---

  public static final class Builder {
    public String url;
    public long serverPid;
    public Path serverJar;
    public String serverJvmOpts;
    public List<String> serverArgs;
    public int documents;
    public int clients;
    public double rate;
    public double jitter;
    public Duration rampUp;
    public Duration warmUp;
    public Duration duration;
    public Duration drain;
    public long seed;
    public Path jsonOut;
    public Path workDir;
    public boolean keepData;
    public Duration targetP99;
    public boolean checkContent;
    public Protocol protocol;
  }

  public LoadOptions with(java.util.function.Consumer<Builder> change) {
    Builder b = new Builder();
    b.url = url;
    b.serverPid = serverPid;
    b.serverJar = serverJar;
    b.serverJvmOpts = serverJvmOpts;
    b.serverArgs = serverArgs;
    b.documents = documents;
    b.clients = clientsPerDocument;
    b.rate = ratePerClient;
    b.jitter = jitter;
    b.rampUp = rampUp;
    b.warmUp = warmUp;
    b.duration = duration;
    b.drain = drain;
    b.seed = seed;
    b.jsonOut = jsonOut;
    b.workDir = workDir;
    b.keepData = keepData;
    b.targetP99 = targetP99;
    b.checkContent = checkContent;
    b.protocol = protocol;
    change.accept(b);
    return new LoadOptions(b.url, b.serverPid, b.serverJar, b.serverJvmOpts, b.serverArgs, b.documents, b.clients,
        b.rate, b.jitter, b.rampUp, b.warmUp, b.duration, b.drain, b.seed, b.jsonOut, b.workDir, b.keepData,
        b.targetP99, b.checkContent, b.protocol);
  }

  private static int positiveInt(String key, String value) {
    int v = Integer.parseInt(value);
    if (v <= 0) {
      throw new IllegalArgumentException("--" + key + " must be positive");
    }
    return v;
  }

  private static double positiveDouble(String key, String value) {
    double v = Double.parseDouble(value);
    if (!(v > 0) || Double.isInfinite(v)) {
      throw new IllegalArgumentException("--" + key + " must be positive");
    }
    return v;
  }

  private static double fraction(String key, String value) {
    double v = Double.parseDouble(value);
    if (!(v >= 0 && v < 1)) {
      throw new IllegalArgumentException("--" + key + " must be in [0, 1)");
    }
    return v;
  }

  /** {@code 500ms}, {@code 10s}, {@code 2m}, or a bare number of seconds. */
  static Duration duration(String key, String value) {
    String v = value.trim().toLowerCase(Locale.ROOT);
    try {
      if (v.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
      }
      if (v.endsWith("s")) {
        return Duration.ofMillis(Math.round(Double.parseDouble(v.substring(0, v.length() - 1)) * 1000));
      }
      if (v.endsWith("m")) {
        return Duration.ofMillis(Math.round(Double.parseDouble(v.substring(0, v.length() - 1)) * 60_000));
      }
      return Duration.ofMillis(Math.round(Double.parseDouble(v) * 1000));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + key + ": not a duration: " + value);
    }
  }
}
