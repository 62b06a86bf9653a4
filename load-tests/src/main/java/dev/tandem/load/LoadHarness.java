package dev.tandem.load;

import dev.tandem.crdt.MalformedDataException;
import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.VerticleBase;
import io.vertx.core.VertxOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;

/**
 * Load harness for collab-server's y-websocket endpoint: N documents x M simulated typists, each
 * sending real one-character Yjs updates at a rate with jitter; measures delivery latency to the
 * document's other clients (HdrHistogram, one sample per update and receiver), throughput, lost
 * deliveries, and the server's CPU (JVM and its embedded Redis, from /proc) and heap (JMX via the
 * Attach API). By default it starts {@code collab-server/target/collab-server.jar} as a child
 * process on a free port with its embedded Redis in a temporary folder.
 */
public final class LoadHarness {
  private final LoadOptions o;
  private final PrintStream log;

  public LoadHarness(LoadOptions options, PrintStream log) {
    this.o = options;
    this.log = log;
  }

  public static void main(String[] args) {
    LoadOptions options;
    try {
      options = LoadOptions.parse(args);
    } catch (IllegalArgumentException e) {
      if (!"help".equals(e.getMessage())) {
        System.err.println("error: " + e.getMessage());
      }
      System.err.print(LoadOptions.USAGE);
      System.exit("help".equals(e.getMessage()) ? 0 : 2);
      return;
    }
    LoadReport report;
    try {
      report = new LoadHarness(options, System.err).run();
    } catch (Exception e) {
      System.err.println("load run failed: " + e);
      e.printStackTrace();
      System.exit(1);
      return;
    }
    System.out.println();
    System.out.print(report.toTable());
    System.out.println();
    System.out.println(report.toJson().encode());
    if (options.jsonOut() != null) {
      try {
        Files.writeString(options.jsonOut(), report.toJson().encode() + "\n");
      } catch (IOException e) {
        System.err.println("could not write " + options.jsonOut() + ": " + e);
      }
    }
    System.exit(report.passed ? 0 : 1);
  }

  /** Locates collab-server/target/collab-server.jar from the working directory or one of its parents. */
  static Path findServerJar() {
    Path dir = Path.of("").toAbsolutePath();
    for (Path d = dir; d != null; d = d.getParent()) {
      Path jar = d.resolve("collab-server/target/collab-server.jar");
      if (Files.isRegularFile(jar)) {
        return jar;
      }
    }
    return dir.resolve("collab-server/target/collab-server.jar");
  }

  public LoadReport run() throws Exception {
    Path workDir = o.workDir() != null ? Files.createDirectories(o.workDir()) : Files.createTempDirectory("tandem-load-");
    ServerProcess server = null;
    try {
      String host;
      int port;
      String pathPrefix = "";
      long serverPid = o.serverPid();
      String serverDesc;
      String serverCommand = null;
      if (o.url() == null) {
        Path jar = o.serverJar() != null ? o.serverJar() : findServerJar();
        log.println("starting " + jar + " (work folder " + workDir + ")");
        server = ServerProcess.start(jar, o.serverJvmOpts(), o.serverArgs(), workDir);
        host = "127.0.0.1";
        port = server.port;
        serverPid = server.pid();
        serverCommand = String.join(" ", server.command);
        serverDesc = "child process pid " + serverPid + ", 127.0.0.1:" + port + ", embedded Redis"
            + (o.serverJvmOpts().isBlank() ? ", JVM defaults" : ", JVM " + o.serverJvmOpts())
            + (o.serverArgs().isEmpty() ? "" : ", " + String.join(" ", o.serverArgs()));
        log.println("server ready: " + serverDesc + " (log " + server.log + ")");
      } else {
        URI u = URI.create(o.url());
        host = u.getHost();
        port = u.getPort() > 0 ? u.getPort() : ("wss".equals(u.getScheme()) ? 443 : 80);
        if (u.getPath() != null && !u.getPath().isEmpty() && !u.getPath().equals("/")) {
          pathPrefix = u.getPath().replaceAll("/+$", "");
        }
        serverDesc = o.url() + (serverPid > 0 ? " (pid " + serverPid + ")" : " (not measured: no --server-pid)");
      }
      LoadReport r = drive(host, port, pathPrefix, serverPid, serverDesc);
      r.serverCommand = serverCommand;
      return r;
    } finally {
      if (server != null) {
        log.println("stopping server");
        server.close();
      }
      if (!o.keepData() && o.workDir() == null) {
        deleteTree(workDir);
      } else {
        log.println("work folder kept: " + workDir);
      }
    }
  }

  private LoadReport drive(String host, int port, String pathPrefix, long serverPid, String serverDesc) throws Exception {
    int cores = Runtime.getRuntime().availableProcessors();
    SplittableRandom random = new SplittableRandom(o.seed());
    String runId = Long.toString(System.currentTimeMillis(), 36);
    double totalSeconds = (o.warmUp().toMillis() + o.duration().toMillis()) / 1000.0;
    int capacity = (int) Math.ceil(totalSeconds * o.ratePerClient() / (1 - o.jitter())) + 4;

    // typists with unique random 32-bit Yjs client ids, as Yjs picks them
    List<Typist> typists = new ArrayList<>();
    Map<Long, Typist> byId = new HashMap<>();
    Set<Long> used = new HashSet<>();
    for (int d = 0; d < o.documents(); d++) {
      for (int c = 0; c < o.clientsPerDocument(); c++) {
        long id;
        do {
          id = random.nextLong(1, 1L << 32);
        } while (!used.add(id));
        Typist t = new Typist(typists.size(), d, id, capacity);
        typists.add(t);
        byId.put(id, t);
      }
    }
    Deliveries deliveries = new Deliveries(Map.copyOf(byId));
    List<String> docNames = new ArrayList<>();
    for (int d = 0; d < o.documents(); d++) {
      docNames.add("load-" + runId + "-" + d);
    }

    // One event loop per core, and the clients spread over them: a context created from this
    // (non-Vert.x) thread would be sticky, putting every client on a single event loop.
    int loops = Math.max(2, cores);
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(loops));
    List<Context> contexts = eventLoopContexts(vertx, loops);
    List<TypingClient> clients = new ArrayList<>();
    ScheduledExecutorService sampler = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "load-sampler");
      t.setDaemon(true);
      return t;
    });
    // a peer server (Node) has no JVM heap to probe; its RSS is sampled like the JVM's
    JvmProbe probe = serverPid > 0 && ProcStat.isJava(serverPid) ? JvmProbe.attach(serverPid) : null;
    try {
      WebSocketClient wsClient = vertx.createWebSocketClient(new WebSocketClientOptions()
          .setMaxConnections(o.totalClients() + 16).setConnectTimeout(30_000));
      for (Typist t : typists) {
        Context ctx = contexts.get(t.index % contexts.size());
        String name = docNames.get(t.document);
        clients.add(new TypingClient(t, name, deliveries, random.nextLong(), ctx, ClientWire.of(o.protocol(), name)));
      }

      // --- connect, spread over the ramp-up ---
      log.printf("connecting %d clients to %d documents over %s%n", clients.size(), o.documents(), o.rampUp());
      List<Future<Void>> syncs = new ArrayList<>();
      long rampStart = System.nanoTime();
      for (int i = 0; i < clients.size(); i++) {
        long at = rampStart + o.rampUp().toNanos() * i / clients.size();
        sleepUntil(at);
        syncs.add(clients.get(i).connect(wsClient, host, port, pathPrefix));
      }
      Future.join(syncs).toCompletionStage().toCompletableFuture()
          .handle((x, e) -> null).get(60 + o.rampUp().toSeconds(), TimeUnit.SECONDS);
      int connected = (int) syncs.stream().filter(Future::succeeded).count();
      log.printf("%d/%d clients synced%n", connected, clients.size());

      // --- typing: warm-up, then the measured window ---
      if (connected < clients.size()) {
        log.printf("not every client synced: no typing, the run fails%n");
      }
      long t0 = System.nanoTime() + 500_000_000L;
      if (connected < clients.size()) {
        t0 -= o.warmUp().toNanos() + o.duration().toNanos(); // nothing to wait for
      }
      long measureStart = t0 + o.warmUp().toNanos();
      long measureEnd = measureStart + o.duration().toNanos();
      deliveries.measureStartNanos = measureStart;
      deliveries.measureEndNanos = measureEnd;
      if (connected == clients.size()) {
        for (TypingClient c : clients) {
          c.startTyping(t0, measureEnd, o.ratePerClient(), o.jitter());
        }
      }
      log.printf("typing: warm-up %s, then measuring %s%n", o.warmUp(), o.duration());
      long selfPid = ProcessHandle.current().pid();
      List<Long> redisPids = server(serverPid).map(h -> h.descendants().map(ProcessHandle::pid).toList()).orElse(List.of());
      log.printf("measuring CPU of server pid %d%s and harness pid %d (%d ticks/s)%n", serverPid,
          redisPids.isEmpty() ? "" : " + children " + redisPids, selfPid, ProcStat.TICKS_PER_SECOND);
      sleepUntil(measureStart);
      long wall0 = System.nanoTime();
      long serverCpu0 = serverPid > 0 ? ProcStat.cpuNanos(serverPid) : -1;
      long redisCpu0 = sumCpu(redisPids);
      long selfCpu0 = ProcStat.cpuNanos(selfPid);
      long[] machine0 = ProcStat.machine();
      Map<Long, ProcStat.ThreadCpu> threads0 = serverPid > 0 ? ProcStat.threads(serverPid) : Map.of();
      long[] gc0 = probe != null ? probe.gcTotals() : new long[] {-1, -1};
      long delivered0 = deliveries.delivered.sum();
      long bytesOut0 = deliveries.bytesSent.sum();
      long bytesIn0 = deliveries.bytesReceived.sum();
      AtomicLong heapMax = new AtomicLong(-1);
      AtomicLong heapSum = new AtomicLong();
      AtomicLong heapN = new AtomicLong();
      AtomicLong heapCommitted = new AtomicLong(-1);
      AtomicLong rssMax = new AtomicLong(-1);
      if (serverPid > 0) {
        sampler.scheduleAtFixedRate(() -> {
          if (System.nanoTime() < measureEnd) {
            rssMax.accumulateAndGet(ProcStat.rssBytes(serverPid), Math::max);
          }
        }, 250, 1000, TimeUnit.MILLISECONDS);
      }
      if (probe != null && probe.mode.equals("jmx")) {
        sampler.scheduleAtFixedRate(() -> {
          long[] h = probe.heap();
          if (h != null && System.nanoTime() < measureEnd) {
            heapMax.accumulateAndGet(h[0], Math::max);
            heapSum.addAndGet(h[0]);
            heapN.incrementAndGet();
            heapCommitted.accumulateAndGet(h[1], Math::max);
          }
        }, 500, 1000, TimeUnit.MILLISECONDS);
      }
      long lastProgress = System.nanoTime();
      while (System.nanoTime() < measureEnd) {
        LockSupport.parkNanos(Math.min(measureEnd - System.nanoTime(), 1_000_000_000L));
        if (System.nanoTime() - lastProgress >= 10_000_000_000L) {
          lastProgress = System.nanoTime();
          log.printf("  %.0f s measured, %d deliveries so far%n", (lastProgress - wall0) / 1e9, deliveries.deliveredMeasured.sum());
        }
      }
      long wall1 = System.nanoTime();
      long serverCpu1 = serverPid > 0 ? ProcStat.cpuNanos(serverPid) : -1;
      long redisCpu1 = sumCpu(redisPids);
      long selfCpu1 = ProcStat.cpuNanos(selfPid);
      long[] machine1 = ProcStat.machine();
      double loadAverage = ProcStat.loadAverage();
      Map<Long, ProcStat.ThreadCpu> threads1 = serverPid > 0 ? ProcStat.threads(serverPid) : Map.of();
      long[] gc1 = probe != null ? probe.gcTotals() : new long[] {-1, -1};
      long delivered1 = deliveries.delivered.sum();
      long bytesOut1 = deliveries.bytesSent.sum();
      long bytesIn1 = deliveries.bytesReceived.sum();
      sampler.shutdownNow();
      if (probe != null && !probe.mode.equals("jmx")) {
        long[] h = probe.heap();
        if (h != null) {
          heapMax.set(h[0]);
          heapCommitted.set(h[1]);
        }
      }

      // --- drain: wait for outstanding deliveries (a timer may fire just before the end) ---
      Thread.sleep(200);
      long sentTotal = typists.stream().mapToLong(Typist::sent).sum();
      long expected = sentTotal * o.receiversPerUpdate();
      long drainStart = System.nanoTime();
      long drainDeadline = drainStart + o.drain().toNanos();
      while (deliveries.delivered.sum() < expected && System.nanoTime() < drainDeadline
          && clients.stream().allMatch(c -> c.failure() == null)) {
        Thread.sleep(20);
      }
      double drainSeconds = (System.nanoTime() - drainStart) / 1e9;

      long[] afterGc = probe != null ? probe.heapAfterGc() : null;

      // --- losses ---
      long missing = 0;
      long missingMeasured = 0;
      for (TypingClient receiver : clients) {
        for (TypingClient sender : clients) {
          if (sender != receiver && sender.me.document == receiver.me.document) {
            missing += receiver.missingFrom(sender.me);
            missingMeasured += receiver.missingMeasuredFrom(sender.me);
          }
        }
      }
      String content = o.checkContent() ? checkContent(host, port, pathPrefix, docNames, typists) : "skipped";

      // --- report ---
      Histogram h = deliveries.latencyHistogram();
      LoadReport r = new LoadReport();
      r.date = ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
      r.host = hostName();
      r.cores = cores;
      r.java = System.getProperty("java.version");
      r.server = serverDesc;
      r.documents = o.documents();
      r.clientsPerDocument = o.clientsPerDocument();
      r.ratePerClient = o.ratePerClient();
      r.warmUpSeconds = o.warmUp().toMillis() / 1000.0;
      // sends and deliveries are counted over the nominal window [measureStart, measureEnd)
      double window = (measureEnd - measureStart) / 1e9;
      r.measuredSeconds = window;
      r.clientsConnected = connected;
      r.latencySamples = h.getTotalCount();
      r.p50 = ms(h.getValueAtPercentile(50));
      r.p90 = ms(h.getValueAtPercentile(90));
      r.p99 = ms(h.getValueAtPercentile(99));
      r.p999 = ms(h.getValueAtPercentile(99.9));
      r.max = ms(h.getMaxValue());
      r.mean = h.getTotalCount() == 0 ? 0 : h.getMean() / 1e6;
      r.targetP99 = o.targetP99().toNanos() / 1e6;
      r.updatesSent = sentTotal;
      long sentMeasured = 0;
      for (Typist t : typists) {
        for (int c = 0; c < t.sent(); c++) {
          if (deliveries.measured(t.sendNanos(c))) {
            sentMeasured++;
          }
        }
      }
      r.updatesSentMeasured = sentMeasured;
      r.updatesPerSecond = sentMeasured / window;
      r.deliveries = deliveries.deliveredMeasured.sum();
      r.deliveriesPerSecond = r.deliveries / window;
      r.expectedDeliveries = expected;
      r.missingDeliveries = missing;
      r.missingMeasuredDeliveries = missingMeasured;
      r.duplicateDeliveries = deliveries.duplicates.sum();
      r.foreignInserts = deliveries.foreign.sum();
      r.echoes = deliveries.echoes.sum();
      r.deliveredViaSyncStep2 = deliveries.viaSyncStep2.sum();
      r.drainSeconds = drainSeconds;
      r.writeQueueFull = deliveries.writeQueueFull.sum();
      // CPU, bytes and threads over the sampled wall time (starts a little after measureStart)
      r.bytesSentPerSecond = (bytesOut1 - bytesOut0) / ((wall1 - wall0) / 1e9);
      r.bytesReceivedPerSecond = (bytesIn1 - bytesIn0) / ((wall1 - wall0) / 1e9);
      double capacityNanos = (wall1 - wall0) * (double) cores;
      if (serverCpu0 >= 0 && serverCpu1 >= 0) {
        r.serverCpuPercent = 100 * (serverCpu1 - serverCpu0) / capacityNanos;
      }
      if (serverCpu0 >= 0 && serverCpu1 >= 0 && delivered1 > delivered0) {
        // contention-independent cost: server CPU per update it relayed (to receiversPerUpdate sockets)
        r.serverCpuMicrosPerUpdate = (serverCpu1 - serverCpu0) / 1e3 / ((delivered1 - delivered0) / (double) o.receiversPerUpdate());
      }
      if (!redisPids.isEmpty() && redisCpu0 >= 0 && redisCpu1 >= 0) {
        r.redisCpuPercent = 100 * (redisCpu1 - redisCpu0) / capacityNanos;
      }
      if (selfCpu0 >= 0 && selfCpu1 >= 0) {
        r.harnessCpuPercent = 100 * (selfCpu1 - selfCpu0) / capacityNanos;
      }
      if (machine0 != null && machine1 != null && machine1[1] > machine0[1]) {
        r.machineCpuPercent = 100.0 * (machine1[0] - machine0[0]) / (machine1[1] - machine0[1]);
        r.otherCpuPercent = Math.max(0, r.machineCpuPercent - Math.max(0, r.serverCpuPercent)
            - Math.max(0, r.redisCpuPercent) - Math.max(0, r.harnessCpuPercent));
      }
      r.loadAverage = loadAverage;
      r.harnessEventLoops = loops;
      for (Map.Entry<String, Long> e : ProcStat.threadDelta(threads0, threads1)) {
        r.serverThreadsCpuPercent.add(Map.entry(e.getKey(), 100.0 * e.getValue() / (wall1 - wall0)));
      }
      r.protocol = o.protocol().option;
      r.serverRssMaxBytes = rssMax.get();
      r.heapProbe = probe == null ? "none" : probe.mode;
      r.heapUsedMaxBytes = heapMax.get();
      r.heapUsedAvgBytes = heapN.get() == 0 ? -1 : heapSum.get() / heapN.get();
      r.heapCommittedBytes = heapCommitted.get();
      r.heapAfterGcBytes = afterGc == null ? -1 : afterGc[0];
      if (gc0[0] >= 0 && gc1[0] >= 0) {
        r.gcCount = gc1[0] - gc0[0];
        r.gcMillis = gc1[1] - gc0[1];
      }
      r.contentCheck = content;
      List<String> failures = clients.stream().map(TypingClient::failure).filter(f -> f != null).toList();
      r.failureCount = failures.size();
      r.failures = new ArrayList<>(failures.subList(0, Math.min(10, failures.size())));
      r.passed = connected == clients.size() && failures.isEmpty() && missing == 0 && sentTotal > 0
          && !content.startsWith("FAILED");
      return r;
    } finally {
      sampler.shutdownNow();
      if (probe != null) {
        probe.close();
      }
      List<Future<Void>> closes = new ArrayList<>();
      for (TypingClient c : clients) {
        closes.add(c.close());
      }
      try {
        Future.join(closes).toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
      } catch (Exception e) {
        // closing anyway
      }
      vertx.close().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }
  }

  /** One context on each of {@code n} distinct event loops (one deployed verticle instance each). */
  private static List<Context> eventLoopContexts(Vertx vertx, int n) throws Exception {
    List<Context> contexts = java.util.Collections.synchronizedList(new ArrayList<>());
    vertx.deployVerticle(() -> new VerticleBase() {
      @Override
      public Future<?> start() {
        contexts.add(context);
        return Future.succeededFuture();
      }
    }, new DeploymentOptions().setInstances(n)).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    return List.copyOf(contexts);
  }

  /**
   * Reads every document back over REST ({@code GET /api/documents/<name>/update}) and checks that
   * it holds exactly the characters every typist sent: nothing lost, nothing foreign.
   */
  private String checkContent(String host, int port, String pathPrefix, List<String> docNames, List<Typist> typists) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    int bad = 0;
    String firstProblem = null;
    for (int d = 0; d < docNames.size(); d++) {
      String problem;
      try {
        URI uri = URI.create("http://" + host + ":" + port + pathPrefix + "/api/documents/"
            + URLEncoder.encode(docNames.get(d), StandardCharsets.UTF_8) + "/update");
        HttpResponse<byte[]> resp = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).build(),
            HttpResponse.BodyHandlers.ofByteArray());
        if (resp.statusCode() != 200) {
          problem = "HTTP " + resp.statusCode();
        } else {
          Map<Long, BitSet> have = new HashMap<>();
          TypingUpdates.forEachInsert(resp.body(), (client, clock) ->
              have.computeIfAbsent(client, k -> new BitSet()).set((int) clock));
          problem = null;
          int expectedClients = 0;
          for (Typist t : typists) {
            if (t.document != d || t.sent() == 0) {
              continue;
            }
            expectedClients++;
            BitSet bs = have.get(t.yjsClient);
            if (bs == null || bs.cardinality() != t.sent() || bs.nextClearBit(0) != t.sent()) {
              problem = "client " + t.yjsClient + " sent " + t.sent() + ", document holds " + (bs == null ? 0 : bs.cardinality());
              break;
            }
          }
          if (problem == null && have.size() != expectedClients) {
            problem = "document holds " + have.size() + " clients, expected " + expectedClients;
          }
        }
      } catch (IOException | MalformedDataException e) {
        problem = e.toString();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        problem = "interrupted";
      }
      if (problem != null) {
        bad++;
        if (firstProblem == null) {
          firstProblem = docNames.get(d) + ": " + problem;
        }
      }
    }
    return bad == 0 ? "ok (" + docNames.size() + " documents read back over REST hold exactly the typed characters)"
        : "FAILED for " + bad + " documents, e.g. " + firstProblem;
  }

  private static java.util.Optional<ProcessHandle> server(long pid) {
    return pid > 0 ? ProcessHandle.of(pid) : java.util.Optional.empty();
  }

  private static long sumCpu(List<Long> pids) {
    long sum = 0;
    for (long p : pids) {
      long c = ProcStat.cpuNanos(p);
      if (c < 0) {
        return -1;
      }
      sum += c;
    }
    return sum;
  }

  private static double ms(long nanos) {
    return nanos / 1e6;
  }

  private static void sleepUntil(long nanoTime) {
    long left;
    while ((left = nanoTime - System.nanoTime()) > 0) {
      LockSupport.parkNanos(left);
    }
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "unknown";
    }
  }

  private static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException e) {
          // best effort
        }
      });
    } catch (IOException e) {
      // best effort
    }
  }
}
