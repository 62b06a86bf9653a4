package dev.tandem.load;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The outcome of one load run: a human table ({@link #toTable()}) and one JSON line ({@link #toJson()}). */
public final class LoadReport {
  // run
  public String date;
  public String host;
  public int cores;
  public String java;
  public String server;
  public String serverCommand;
  public int documents;
  public int clientsPerDocument;
  public double ratePerClient;
  public double warmUpSeconds;
  public double measuredSeconds;
  public int clientsConnected;
  // latency (ms) of measured deliveries
  public long latencySamples;
  public double p50;
  public double p90;
  public double p99;
  public double p999;
  public double max;
  public double mean;
  public double targetP99;
  // throughput and losses
  public long updatesSent;
  public long updatesSentMeasured;
  public double updatesPerSecond;
  public long deliveries;
  public double deliveriesPerSecond;
  public long expectedDeliveries;
  public long missingDeliveries;
  public long missingMeasuredDeliveries;
  public long duplicateDeliveries;
  public long foreignInserts;
  public long echoes;
  public long deliveredViaSyncStep2;
  public double drainSeconds;
  public long writeQueueFull;
  public double bytesSentPerSecond;
  public double bytesReceivedPerSecond;
  // resources, % of all cores of the machine over the measured window (-1 = unknown)
  public double serverCpuPercent = -1;
  public double redisCpuPercent = -1;
  /** Server JVM CPU microseconds per update relayed (deliveries in the window / receivers per update). */
  public double serverCpuMicrosPerUpdate = -1;
  public double harnessCpuPercent = -1;
  public int harnessEventLoops;
  /** Whole machine busy, and the part used by processes other than server, redis and harness. */
  public double machineCpuPercent = -1;
  public double otherCpuPercent = -1;
  public double loadAverage = -1;
  public String protocol;
  /** Largest resident set size of the server process sampled in the window (its children not included). */
  public long serverRssMaxBytes = -1;
  public String heapProbe;
  public long heapUsedMaxBytes = -1;
  public long heapUsedAvgBytes = -1;
  public long heapCommittedBytes = -1;
  public long heapAfterGcBytes = -1;
  public long gcCount = -1;
  public long gcMillis = -1;
  public List<Map.Entry<String, Double>> serverThreadsCpuPercent = new ArrayList<>();
  // correctness
  public String contentCheck = "skipped";
  public List<String> failures = new ArrayList<>();
  public long failureCount;
  public boolean passed;

  public boolean targetMet() {
    return latencySamples > 0 && p99 <= targetP99;
  }

  public String toTable() {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "collab-server load run  %s  on %s (%d cores, Java %s)%n", date, host, cores, java));
    sb.append(String.format(Locale.ROOT, "  server            %s%n", server));
    sb.append(String.format(Locale.ROOT, "  load              %d documents x %d clients x %.1f updates/s each (%s, 1 char/update)%n",
        documents, clientsPerDocument, ratePerClient, protocol));
    sb.append(String.format(Locale.ROOT, "  timing            warm-up %.0f s, measured %.0f s, drain %.2f s; %d/%d clients synced%n",
        warmUpSeconds, measuredSeconds, drainSeconds, clientsConnected, documents * clientsPerDocument));
    sb.append("\n  delivery latency (ms, sender write -> other client's receive, measured window)\n");
    sb.append(String.format(Locale.ROOT, "  %10s %10s %10s %10s %10s %10s %12s%n", "p50", "p90", "p99", "p99.9", "max", "mean", "samples"));
    sb.append(String.format(Locale.ROOT, "  %10.3f %10.3f %10.3f %10.3f %10.3f %10.3f %12d%n", p50, p90, p99, p999, max, mean, latencySamples));
    sb.append(String.format(Locale.ROOT, "  p99 target <= %.0f ms: %s%n", targetP99, targetMet() ? "MET" : "MISSED"));
    sb.append("\n");
    row(sb, "updates sent/s", String.format(Locale.ROOT, "%.1f  (%d in window, %d total)", updatesPerSecond, updatesSentMeasured, updatesSent));
    row(sb, "deliveries/s", String.format(Locale.ROOT, "%.1f  (%d in window)", deliveriesPerSecond, deliveries));
    row(sb, "missing deliveries", String.format(Locale.ROOT, "%d of %d expected (%d in window)", missingDeliveries, expectedDeliveries, missingMeasuredDeliveries));
    row(sb, "duplicates/foreign", duplicateDeliveries + " / " + foreignInserts + "  (echoes to sender: " + echoes + ")");
    row(sb, "network", String.format(Locale.ROOT, "%.0f KiB/s out, %.0f KiB/s in (harness side)", bytesSentPerSecond / 1024, bytesReceivedPerSecond / 1024));
    row(sb, "server CPU", percent(serverCpuPercent) + " of " + cores + " cores (the server process)");
    row(sb, "server CPU/update", serverCpuMicrosPerUpdate < 0 ? "unknown"
        : String.format(Locale.ROOT, "%.1f us per update relayed to %d sockets (independent of machine contention)",
            serverCpuMicrosPerUpdate, clientsPerDocument - 1));
    if (redisCpuPercent >= 0) {
      row(sb, "redis CPU", percent(redisCpuPercent) + " of " + cores + " cores (the server's child processes: embedded redis-server)");
    }
    row(sb, "harness CPU", percent(harnessCpuPercent) + " of " + cores + " cores (" + harnessEventLoops + " event loops, same machine: competes with the server)");
    row(sb, "machine CPU", percent(machineCpuPercent) + " busy, of which " + percent(otherCpuPercent)
        + " other processes; load average " + String.format(Locale.ROOT, "%.2f", loadAverage)
        + (otherCpuPercent > 10 ? "  (NOT A QUIET MACHINE: figures are pessimistic)" : ""));
    row(sb, "server memory", "max RSS " + mib(serverRssMaxBytes) + " (the server process; Redis not included)");
    row(sb, "server heap", "max used " + mib(heapUsedMaxBytes) + ", avg used " + mib(heapUsedAvgBytes) + ", committed "
        + mib(heapCommittedBytes) + ", after full GC " + mib(heapAfterGcBytes) + "  [" + heapProbe + "]");
    row(sb, "server GC", gcCount < 0 ? "unknown" : gcCount + " collections, " + gcMillis + " ms in window");
    if (!serverThreadsCpuPercent.isEmpty()) {
      StringBuilder t = new StringBuilder();
      for (int i = 0; i < Math.min(6, serverThreadsCpuPercent.size()); i++) {
        Map.Entry<String, Double> e = serverThreadsCpuPercent.get(i);
        t.append(i == 0 ? "" : ", ").append(e.getKey()).append(' ').append(String.format(Locale.ROOT, "%.1f%%", e.getValue()));
      }
      row(sb, "server threads", t + "  (% of one core)");
    }
    row(sb, "content check", contentCheck);
    if (failureCount > 0) {
      row(sb, "client failures", failureCount + ": " + String.join("; ", failures));
    }
    row(sb, "result", passed ? "PASS (no lost delivery)" : "FAIL");
    return sb.toString();
  }

  public JsonObject toJson() {
    JsonObject threads = new JsonObject();
    serverThreadsCpuPercent.forEach(e -> threads.put(e.getKey(), round(e.getValue())));
    return new JsonObject()
        .put("report", "collab-server-load")
        .put("date", date).put("host", host).put("cores", cores).put("java", java)
        .put("server", server)
        .put("documents", documents).put("clientsPerDocument", clientsPerDocument).put("ratePerClient", ratePerClient)
        .put("warmUpSeconds", warmUpSeconds).put("measuredSeconds", measuredSeconds).put("clientsConnected", clientsConnected)
        .put("latencyMs", new JsonObject().put("p50", p50).put("p90", p90).put("p99", p99).put("p999", p999)
            .put("max", max).put("mean", mean).put("samples", latencySamples))
        .put("targetP99Ms", targetP99).put("targetMet", targetMet())
        .put("updatesSent", updatesSent).put("updatesSentMeasured", updatesSentMeasured)
        .put("updatesPerSecond", round(updatesPerSecond))
        .put("deliveries", deliveries).put("deliveriesPerSecond", round(deliveriesPerSecond))
        .put("expectedDeliveries", expectedDeliveries).put("missingDeliveries", missingDeliveries)
        .put("missingMeasuredDeliveries", missingMeasuredDeliveries).put("duplicateDeliveries", duplicateDeliveries)
        .put("foreignInserts", foreignInserts).put("drainSeconds", round(drainSeconds))
        .put("writeQueueFull", writeQueueFull)
        .put("serverCpuPercent", round(serverCpuPercent)).put("redisCpuPercent", round(redisCpuPercent))
        .put("serverCpuMicrosPerUpdate", round(serverCpuMicrosPerUpdate))
        .put("harnessCpuPercent", round(harnessCpuPercent))
        .put("harnessEventLoops", harnessEventLoops)
        .put("machineCpuPercent", round(machineCpuPercent)).put("otherCpuPercent", round(otherCpuPercent))
        .put("loadAverage", loadAverage)
        .put("protocol", protocol).put("serverRssMaxBytes", serverRssMaxBytes)
        .put("heapProbe", heapProbe)
        .put("heapUsedMaxBytes", heapUsedMaxBytes).put("heapUsedAvgBytes", heapUsedAvgBytes)
        .put("heapCommittedBytes", heapCommittedBytes).put("heapAfterGcBytes", heapAfterGcBytes)
        .put("gcCount", gcCount).put("gcMillis", gcMillis)
        .put("serverThreadsCpuPercentOfOneCore", threads)
        .put("contentCheck", contentCheck)
        .put("failureCount", failureCount).put("failures", new JsonArray(new ArrayList<>(failures)))
        .put("passed", passed);
  }

  private static void row(StringBuilder sb, String k, String v) {
    sb.append(String.format(Locale.ROOT, "  %-19s %s%n", k, v));
  }

  private static String percent(double p) {
    return p < 0 ? "unknown" : String.format(Locale.ROOT, "%.1f%%", p);
  }

  private static String mib(long bytes) {
    return bytes < 0 ? "unknown" : String.format(Locale.ROOT, "%.0f MiB", bytes / 1048576.0);
  }

  private static double round(double v) {
    return Math.round(v * 100) / 100.0;
  }
}
