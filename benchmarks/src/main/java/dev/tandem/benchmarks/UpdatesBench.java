package dev.tandem.benchmarks;

import dev.tandem.crdt.update.Updates;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Issue 2's update-level operations on the automerge-paper trace (259,778 per-transaction
 * updates of one client): merge of the first 10k / 40k / all updates in one call, decode +
 * re-encode of the final document update (v1, v2), and the diff of the final update against the
 * state vector after 1,000 transactions. {@code benchmarks/node/bench-updates.mjs} times the
 * same operations in Yjs 13.6.33. Defaults below are what {@code run-updates-bench.sh} uses;
 * its cold run overrides them with {@code -bm ss -wi 0 -i 1}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class UpdatesBench {
  private List<byte[]> first10k;
  private List<byte[]> first40k;
  private List<byte[]> all;
  private byte[] finalV1;
  private byte[] finalV2;
  private byte[] svAfter1000;

  @Setup(Level.Trial)
  public void load() {
    TraceFixture f = new TraceFixture();
    all = f.updatesV1();
    if (all.size() != 259_778) {
      throw new IllegalStateException("expected 259778 updates, found " + all.size());
    }
    first10k = List.copyOf(all.subList(0, 10_000));
    first40k = List.copyOf(all.subList(0, 40_000));
    finalV1 = f.bytes("final.v1.bin");
    finalV2 = f.bytes("final.v2.bin");
    svAfter1000 = f.bytes("sv-after-1000.bin");
  }

  @Benchmark
  public byte[] merge010k() {
    return Updates.mergeUpdates(first10k);
  }

  @Benchmark
  public byte[] merge040k() {
    return Updates.mergeUpdates(first40k);
  }

  @Benchmark
  public byte[] merge260k() {
    return Updates.mergeUpdates(all);
  }

  @Benchmark
  public byte[] decodeEncodeV1() {
    return Updates.encodeUpdate(Updates.decodeUpdate(finalV1));
  }

  @Benchmark
  public byte[] decodeEncodeV2() {
    return Updates.encodeUpdateV2(Updates.decodeUpdateV2(finalV2));
  }

  @Benchmark
  public byte[] diffAfter1000() {
    return Updates.diffUpdate(finalV1, svAfter1000);
  }
}
