package dev.tandem.load;

import com.sun.tools.attach.VirtualMachine;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryUsage;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.MBeanServerConnection;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * Heap and GC figures of another local JVM (the server). Attaches through the JDK's Attach API
 * and starts that JVM's local JMX agent (no port, no flags on the server needed); if that fails,
 * falls back to {@code jcmd <pid> GC.heap_info} (heap only, no GC counters).
 */
final class JvmProbe implements AutoCloseable {
  private final long pid;
  private final JMXConnector connector;
  private final MemoryMXBean memory;
  private final List<GarbageCollectorMXBean> collectors;
  final String mode;

  private JvmProbe(long pid, JMXConnector connector, MemoryMXBean memory, List<GarbageCollectorMXBean> collectors,
      String mode) {
    this.pid = pid;
    this.connector = connector;
    this.memory = memory;
    this.collectors = collectors;
    this.mode = mode;
  }

  static JvmProbe attach(long pid) {
    try {
      VirtualMachine vm = VirtualMachine.attach(String.valueOf(pid));
      String address;
      try {
        address = vm.startLocalManagementAgent();
      } finally {
        vm.detach();
      }
      JMXConnector c = JMXConnectorFactory.connect(new JMXServiceURL(address));
      MBeanServerConnection mbs = c.getMBeanServerConnection();
      MemoryMXBean mem = ManagementFactory.newPlatformMXBeanProxy(mbs, ManagementFactory.MEMORY_MXBEAN_NAME,
          MemoryMXBean.class);
      List<GarbageCollectorMXBean> gcs = ManagementFactory.getPlatformMXBeans(mbs, GarbageCollectorMXBean.class);
      return new JvmProbe(pid, c, mem, gcs, "jmx");
    } catch (Exception | LinkageError e) {
      return new JvmProbe(pid, null, null, List.of(), "jcmd (attach failed: " + e + ")");
    }
  }

  /** Heap used and committed in bytes, or null if unknown. */
  long[] heap() {
    if (memory != null) {
      try {
        MemoryUsage u = memory.getHeapMemoryUsage();
        return new long[] {u.getUsed(), u.getCommitted()};
      } catch (RuntimeException e) {
        return null;
      }
    }
    return jcmdHeap();
  }

  /** Runs a full GC in the server and returns heap used/committed after it. */
  long[] heapAfterGc() {
    if (memory != null) {
      try {
        memory.gc();
        return heap();
      } catch (RuntimeException e) {
        return null;
      }
    }
    jcmd("GC.run");
    return jcmdHeap();
  }

  /** Total collections and collection milliseconds so far, or {-1, -1}. */
  long[] gcTotals() {
    long count = 0;
    long millis = 0;
    try {
      for (GarbageCollectorMXBean gc : collectors) {
        count += Math.max(0, gc.getCollectionCount());
        millis += Math.max(0, gc.getCollectionTime());
      }
    } catch (RuntimeException e) {
      return new long[] {-1, -1};
    }
    return collectors.isEmpty() ? new long[] {-1, -1} : new long[] {count, millis};
  }

  private static final Pattern USED = Pattern.compile("total (\\d+)K, used (\\d+)K");

  private long[] jcmdHeap() {
    String out = jcmd("GC.heap_info");
    Matcher m = out == null ? null : USED.matcher(out);
    if (m == null || !m.find()) {
      return null;
    }
    return new long[] {Long.parseLong(m.group(2)) * 1024, Long.parseLong(m.group(1)) * 1024};
  }

  private String jcmd(String command) {
    try {
      Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
      Process p = new ProcessBuilder(jcmd.toString(), String.valueOf(pid), command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes());
      return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0 ? out : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  @Override
  public void close() {
    if (connector != null) {
      try {
        connector.close();
      } catch (IOException e) {
        // gone
      }
    }
  }
}
