package dev.tandem.benchmarks;

import dev.tandem.crdt.doc.Doc;
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
 * Issue 3's document-model workloads (see {@link DocWorkloads}) after warm-up; {@code
 * benchmarks/node/bench-doc.mjs} times the same in Yjs 13.6.33 and {@code
 * benchmarks/run-doc-bench.sh} runs both and prints the comparison. The setup checks every
 * workload's result once (final text, byte-identical re-encoding).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class DocBench {
  private DocWorkloads.Sequential paper;
  private List<byte[]> updates;
  private byte[] finalV1;
  private Doc loaded;
  private DocWorkloads.Concurrent friendsforever;
  private DocWorkloads.Concurrent clownschool;

  @Setup(Level.Trial)
  public void load() {
    TraceFixture f = new TraceFixture();
    paper = DocWorkloads.sequential("automerge-paper");
    updates = f.updatesV1();
    finalV1 = f.bytes("final.v1.bin");
    loaded = DocWorkloads.load(finalV1);
    friendsforever = DocWorkloads.concurrent("friendsforever");
    clownschool = DocWorkloads.concurrent("clownschool");
    if (!Boolean.parseBoolean(System.getProperty("tandem.bench.check", "true"))) {
      return;
    }
    DocCold.check(DocWorkloads.text(applyUpdates()).equals(paper.end()), "apply-updates end content");
    DocCold.check(java.util.Arrays.equals(encodeFinal(), finalV1), "encode-final bytes");
    DocCold.check(DocWorkloads.text(localReplay()).equals(paper.end()), "local-replay end content");
    for (DocWorkloads.Concurrent c : List.of(friendsforever, clownschool)) {
      for (Doc d : DocWorkloads.replayConcurrent(c)) {
        DocCold.check(DocWorkloads.text(d).equals(c.end()), "concurrent end content");
      }
    }
  }

  @Benchmark
  public Doc localReplay() {
    return DocWorkloads.localReplay(paper, DocWorkloads.newList());
  }

  @Benchmark
  public Doc applyUpdates() {
    return DocWorkloads.applyUpdates(updates);
  }

  @Benchmark
  public Doc loadFinal() {
    return DocWorkloads.load(finalV1);
  }

  @Benchmark
  public byte[] encodeFinal() {
    return loaded.encodeStateAsUpdate();
  }

  @Benchmark
  public Doc[] concurrentFriendsforever() {
    return DocWorkloads.replayConcurrent(friendsforever);
  }

  @Benchmark
  public Doc[] concurrentClownschool() {
    return DocWorkloads.replayConcurrent(clownschool);
  }
}
