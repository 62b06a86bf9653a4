package dev.tandem.benchmarks;

import dev.tandem.crdt.update.DecodedUpdate;
import dev.tandem.crdt.update.Updates;
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
 * The two halves of {@link UpdatesBench}'s decode + re-encode, timed apart to show where a
 * round trip's time goes (no Yjs counterpart: Yjs's lazy reader has no separate decode).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class CodecPartsBench {
  private byte[] finalV1;
  private byte[] finalV2;
  private DecodedUpdate decodedV1;
  private DecodedUpdate decodedV2;

  @Setup(Level.Trial)
  public void load() {
    TraceFixture f = new TraceFixture();
    finalV1 = f.bytes("final.v1.bin");
    finalV2 = f.bytes("final.v2.bin");
    decodedV1 = Updates.decodeUpdate(finalV1);
    decodedV2 = Updates.decodeUpdateV2(finalV2);
  }

  @Benchmark
  public DecodedUpdate decodeV1() {
    return Updates.decodeUpdate(finalV1);
  }

  @Benchmark
  public DecodedUpdate decodeV2() {
    return Updates.decodeUpdateV2(finalV2);
  }

  @Benchmark
  public byte[] encodeV1() {
    return Updates.encodeUpdate(decodedV1);
  }

  @Benchmark
  public byte[] encodeV2() {
    return Updates.encodeUpdateV2(decodedV2);
  }
}
