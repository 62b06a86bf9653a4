package dev.tandem.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** CPU time of processes and their threads from Linux's {@code /proc} (utime + stime). */
final class ProcStat {
  /** Clock ticks per second ({@code getconf CLK_TCK}); 100 on every mainstream Linux. */
  static final long TICKS_PER_SECOND = clockTicks();

  private ProcStat() {}

  static boolean available() {
    return Files.isReadable(Path.of("/proc/self/stat"));
  }

  /** CPU time (user + system) of the process in nanoseconds, or -1 when not readable. */
  static long cpuNanos(long pid) {
    return ticksToNanos(ticks(Path.of("/proc", String.valueOf(pid), "stat")));
  }

  /** Resident set size of the process in bytes ({@code VmRSS}), or -1 when not readable. */
  static long rssBytes(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
        if (line.startsWith("VmRSS:")) {
          String[] parts = line.trim().split("\\s+");
          return Long.parseLong(parts[1]) * 1024; // the kernel reports kB
        }
      }
    } catch (java.io.IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }

  /** Whether the process is a JVM (only then is there a heap to probe). */
  static boolean isJava(long pid) {
    return ProcessHandle.of(pid).flatMap(h -> h.info().command()).map(c -> c.endsWith("/java") || c.equals("java"))
        .orElse(false);
  }

  /** Whole machine from {@code /proc/stat}: {busy, total} CPU nanoseconds summed over all cores, or null. */
  static long[] machine() {
    try {
      String line = Files.readAllLines(Path.of("/proc/stat")).get(0);
      String[] f = line.trim().split("\\s+");
      long total = 0;
      for (int i = 1; i < Math.min(f.length, 9); i++) { // user nice system idle iowait irq softirq steal
        total += Long.parseLong(f[i]);
      }
      long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
      return new long[] {ticksToNanos(total - idle), ticksToNanos(total)};
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** The 1-minute load average, or -1. */
  static double loadAverage() {
    try {
      return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+")[0]);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** Per thread of the process: name (Linux comm, 15 chars) and CPU nanoseconds. */
  static Map<Long, ThreadCpu> threads(long pid) {
    Map<Long, ThreadCpu> out = new HashMap<>();
    Path tasks = Path.of("/proc", String.valueOf(pid), "task");
    try (Stream<Path> s = Files.list(tasks)) {
      for (Path t : (Iterable<Path>) s::iterator) {
        try {
          String stat = Files.readString(t.resolve("stat"));
          String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
          out.put(Long.parseLong(t.getFileName().toString()), new ThreadCpu(name, ticksToNanos(ticksOf(stat))));
        } catch (IOException | RuntimeException e) {
          // the thread ended meanwhile
        }
      }
    } catch (IOException e) {
      return Map.of();
    }
    return out;
  }

  record ThreadCpu(String name, long cpuNanos) {}

  /** CPU used per thread name group between two {@link #threads} snapshots, biggest first. */
  static List<Map.Entry<String, Long>> threadDelta(Map<Long, ThreadCpu> before, Map<Long, ThreadCpu> after) {
    Map<String, Long> byName = new HashMap<>();
    for (Map.Entry<Long, ThreadCpu> e : after.entrySet()) {
      ThreadCpu b = before.get(e.getKey());
      long d = e.getValue().cpuNanos() - (b == null ? 0 : b.cpuNanos());
      if (d > 0) {
        byName.merge(group(e.getValue().name()), d, Long::sum);
      }
    }
    List<Map.Entry<String, Long>> list = new ArrayList<>(byName.entrySet());
    list.sort((x, y) -> Long.compare(y.getValue(), x.getValue()));
    return list;
  }

  /** Folds numbered pool threads ({@code vert.x-eventloop-thread-3}, {@code GC Thread#1}) into one group. */
  static String group(String name) {
    return name.replaceAll("[-#]?\\d+$", "-*").replaceAll("-\\*$", "*");
  }

  private static long ticks(Path stat) {
    try {
      return ticksOf(Files.readString(stat));
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  private static long ticksOf(String stat) {
    // fields after the ")" closing the command name: 3=state ... 14=utime 15=stime
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(f[11]) + Long.parseLong(f[12]);
  }

  private static long ticksToNanos(long ticks) {
    return ticks < 0 ? -1 : ticks * TimeUnit.SECONDS.toNanos(1) / TICKS_PER_SECOND;
  }

  private static long clockTicks() {
    try {
      Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes()).trim();
      p.waitFor(5, TimeUnit.SECONDS);
      return Long.parseLong(out);
    } catch (IOException | RuntimeException e) {
      return 100;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 100;
    }
  }
}
