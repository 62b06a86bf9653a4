package dev.tandem.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The automerge-paper fixtures that the crdt build generates with Yjs 13.6.33 into {@code
 * crdt/target/oracle/trace/automerge-paper/} (see {@code crdt/oracle/lib/trace.mjs}). The folder
 * is the system property {@code tandem.trace.dir}, by default that path relative to the working
 * directory (the repository root when run by {@code benchmarks/run-updates-bench.sh}).
 */
final class TraceFixture {
  static final String DEFAULT_DIR = "crdt/target/oracle/trace/automerge-paper";

  final Path dir;

  TraceFixture() {
    dir = Path.of(System.getProperty("tandem.trace.dir", DEFAULT_DIR)).toAbsolutePath();
    if (!Files.isRegularFile(dir.resolve("updates.v1.bin"))) {
      throw new IllegalStateException(
          "no trace fixtures in " + dir + ": build them with ./mvnw -B -ntp -pl crdt generate-test-resources");
    }
  }

  byte[] bytes(String name) {
    try {
      return Files.readAllBytes(dir.resolve(name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code updates.v1.bin}: a var-uint count, then that many var-uint8-arrays (lib0). */
  List<byte[]> updatesV1() {
    return readList(bytes("updates.v1.bin"));
  }

  static List<byte[]> readList(byte[] b) {
    int[] pos = {0};
    int n = (int) varUint(b, pos);
    List<byte[]> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int len = (int) varUint(b, pos);
      byte[] u = new byte[len];
      System.arraycopy(b, pos[0], u, 0, len);
      pos[0] += len;
      out.add(u);
    }
    if (pos[0] != b.length) {
      throw new IllegalStateException("trailing bytes in update list");
    }
    return out;
  }

  private static long varUint(byte[] b, int[] pos) {
    long v = 0;
    int shift = 0;
    while (true) {
      int x = b[pos[0]++] & 0xFF;
      v |= (long) (x & 0x7F) << shift;
      if (x < 0x80) {
        return v;
      }
      shift += 7;
    }
  }
}
