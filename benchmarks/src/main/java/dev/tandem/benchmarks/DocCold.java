package dev.tandem.benchmarks;

import dev.tandem.crdt.doc.Doc;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.Arrays;
import java.util.List;

/**
 * First-run ("cold") timings of the {@link DocWorkloads} and the memory figure, for a fresh JVM:
 *
 * <pre>
 *   java -cp benchmarks/target/benchmarks.jar dev.tandem.benchmarks.DocCold OP [OP...]
 * </pre>
 *
 * OPs: local-replay, apply-updates, load-final, encode-final, concurrent-friendsforever,
 * concurrent-clownschool, memory. Inputs are read before the clock starts; each op's one run is
 * timed and checked (final text / bytes), then printed as one JSON line {@code
 * {"op","mode":"cold","ms"}}. Run one op per JVM for a true first-run time (run-doc-bench.sh
 * does). {@code memory} prints the retained heap of the loaded automerge-paper document: used
 * heap after repeated System.gc() with the document reachable minus the same without it.
 */
public final class DocCold {
  private DocCold() {}

  public static void main(String[] args) {
    if (args.length == 0) {
      System.err.println("usage: DocCold OP [OP...]");
      System.exit(2);
    }
    for (String op : args) {
      if (op.equals("memory")) {
        memory();
      } else {
        // -Dtandem.repeat=N runs the op N times in this JVM (for profiling; later runs are warm)
        for (int i = Integer.getInteger("tandem.repeat", 1); i > 0; i--) {
          cold(op);
        }
      }
    }
  }

  private static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  /** CPU time of the whole process (all threads: JIT compilers and GC included), ns. */
  static long cpu() {
    return OS.getProcessCpuTime();
  }

  static void cold(String op) {
    long ms;
    long cpu0 = cpu();
    long cpuMs;
    switch (op) {
      case "local-replay" -> {
        DocWorkloads.Sequential trace = DocWorkloads.sequential("automerge-paper");
        List<byte[]> updates = DocWorkloads.newList();
        cpu0 = cpu();
        long t0 = System.nanoTime();
        Doc d = DocWorkloads.localReplay(trace, updates);
        ms = (System.nanoTime() - t0) / 1_000_000;
        cpuMs = (cpu() - cpu0) / 1_000_000;
        check(DocWorkloads.text(d).equals(trace.end()), "end content");
        check(updates.size() == 259_778, "259778 updates, got " + updates.size());
      }
      case "apply-updates" -> {
        TraceFixture f = new TraceFixture();
        List<byte[]> updates = f.updatesV1();
        DocWorkloads.Sequential trace = DocWorkloads.sequential("automerge-paper");
        cpu0 = cpu();
        long t0 = System.nanoTime();
        Doc d = DocWorkloads.applyUpdates(updates);
        ms = (System.nanoTime() - t0) / 1_000_000;
        cpuMs = (cpu() - cpu0) / 1_000_000;
        check(DocWorkloads.text(d).equals(trace.end()), "end content");
      }
      case "load-final" -> {
        TraceFixture f = new TraceFixture();
        byte[] finalV1 = f.bytes("final.v1.bin");
        cpu0 = cpu();
        long t0 = System.nanoTime();
        Doc d = DocWorkloads.load(finalV1);
        ms = (System.nanoTime() - t0) / 1_000_000;
        cpuMs = (cpu() - cpu0) / 1_000_000;
        check(DocWorkloads.text(d).length() == 104_852, "length");
      }
      case "encode-final" -> {
        TraceFixture f = new TraceFixture();
        byte[] finalV1 = f.bytes("final.v1.bin");
        Doc d = DocWorkloads.load(finalV1);
        cpu0 = cpu();
        long t0 = System.nanoTime();
        byte[] out = d.encodeStateAsUpdate();
        ms = (System.nanoTime() - t0) / 1_000_000;
        cpuMs = (cpu() - cpu0) / 1_000_000;
        check(Arrays.equals(out, finalV1), "re-encoding equals the Yjs bytes");
      }
      default -> {
        if (!op.startsWith("concurrent-")) {
          throw new IllegalArgumentException("unknown op " + op);
        }
        DocWorkloads.Concurrent trace = DocWorkloads.concurrent(op.substring("concurrent-".length()));
        cpu0 = cpu();
        long t0 = System.nanoTime();
        Doc[] docs = DocWorkloads.replayConcurrent(trace);
        ms = (System.nanoTime() - t0) / 1_000_000;
        cpuMs = (cpu() - cpu0) / 1_000_000;
        for (Doc d : docs) {
          check(DocWorkloads.text(d).equals(trace.end()), "end content");
        }
      }
    }
    System.out.printf("{\"op\":\"%s\",\"mode\":\"cold\",\"ms\":%d,\"cpuMs\":%d,\"runs\":1}%n", op, ms, cpuMs);
  }

  static void check(boolean ok, String what) {
    if (!ok) {
      throw new IllegalStateException("check failed: " + what);
    }
  }

  static long usedAfterGc(MemoryMXBean mx) {
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 5; i++) {
      System.gc();
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      used = Math.min(used, mx.getHeapMemoryUsage().getUsed());
    }
    return used;
  }

  static Doc held;

  static void memory() {
    TraceFixture f = new TraceFixture();
    byte[] finalV1 = f.bytes("final.v1.bin");
    MemoryMXBean mx = ManagementFactory.getMemoryMXBean();
    // warm the code paths (classes loaded, JIT) so the two measurements differ by the doc only
    Doc warm = DocWorkloads.load(finalV1);
    warm = null;
    long without = usedAfterGc(mx);
    held = DocWorkloads.load(finalV1);
    long with = usedAfterGc(mx);
    Doc.StoreStats st = held.storeStats();
    int chars = DocWorkloads.text(held).length();
    long retained = with - without;
    System.out.printf(
        "{\"op\":\"memory\",\"retainedBytes\":%d,\"structs\":%d,\"items\":%d,\"deletedItems\":%d,\"gcs\":%d,"
            + "\"chars\":%d,\"bytesPerItem\":%.1f,\"bytesPerStruct\":%.1f,\"update\":%d}%n",
        retained, st.structs(), st.items(), st.deletedItems(), st.gcs(), chars,
        (double) retained / st.items(), (double) retained / st.structs(), finalV1.length);
    held = null;
  }
}
