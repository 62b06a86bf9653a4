package dev.tandem.server.guard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.server.config.ConfigLoader;
import dev.tandem.server.config.GuardSettings;
import io.vertx.core.Vertx;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Token buckets, slot accounting and the real heap measurement, without a server. */
class GuardsUnitTest {
  private static GuardSettings settings(String... args) {
    return ConfigLoader.load(args, Map.of()).guards();
  }

  @Test
  void tokenBucketRefillsAtItsRateUpToItsCapacity() {
    long t = 0;
    TokenBucket b = new TokenBucket(10, 5, t);
    for (int i = 0; i < 5; i++) {
      assertThat(b.tryTake(1, t)).isTrue();
    }
    assertThat(b.tryTake(1, t)).isFalse();
    t += 100_000_000L; // 100 ms at 10/s: one token
    assertThat(b.tryTake(1, t)).isTrue();
    assertThat(b.tryTake(1, t)).isFalse();
    t += 10_000_000_000L; // long idle: back to the capacity, not more
    for (int i = 0; i < 5; i++) {
      assertThat(b.tryTake(1, t)).isTrue();
    }
    assertThat(b.tryTake(1, t)).isFalse();
    assertThat(b.tryTake(6, t + 10_000_000_000L)).isFalse(); // more than the capacity never fits
  }

  @Test
  void slotsAreCountedAndGivenBack() {
    Guards g = new Guards(settings("--guards.max-connections=2", "--guards.max-documents=1"));
    assertThat(g.tryAcquireConnection()).isNull();
    assertThat(g.tryAcquireConnection()).isNull();
    assertThat(g.tryAcquireConnection().code()).isEqualTo(Guards.TOO_MANY_CONNECTIONS);
    assertThat(g.connections()).isEqualTo(2);
    g.releaseConnection();
    assertThat(g.tryAcquireConnection()).isNull();
    assertThat(g.tryAcquireDocument()).isNull();
    assertThat(g.newDocumentRefusal().code()).isEqualTo(Guards.TOO_MANY_DOCUMENTS);
    assertThat(g.tryAcquireDocument().code()).isEqualTo(Guards.TOO_MANY_DOCUMENTS);
    g.releaseDocument();
    assertThat(g.newDocumentRefusal()).isNull();
    assertThat(g.refusals()).containsEntry(Guards.TOO_MANY_CONNECTIONS, 1L).containsEntry(Guards.TOO_MANY_DOCUMENTS, 2L);
  }

  @Test
  void connectionGuardRates() {
    Guards g = new Guards(settings("--guards.message-rate=1", "--guards.message-burst=3", "--guards.byte-rate=1KiB",
        "--guards.byte-burst=2KiB", "--guards.outbound-queue=100"));
    ConnectionGuard c = g.connectionGuard();
    long now = System.nanoTime();
    assertThat(c.inbound(1000, now)).isNull();
    assertThat(c.inbound(1000, now)).isNull();
    assertThat(c.inbound(1000, now)).contains("guards.byte-rate");
    ConnectionGuard d = g.connectionGuard();
    for (int i = 0; i < 3; i++) {
      assertThat(d.inbound(1, now)).isNull();
    }
    assertThat(d.inbound(1, now)).contains("guards.message-rate");
    assertThat(g.refusals(Guards.RATE_LIMITED)).isEqualTo(2);
    d.queued(100);
    assertThat(d.outboundFull()).isFalse();
    d.queued(1);
    assertThat(d.outboundFull()).isTrue();
    d.written(101);
    assertThat(d.pendingBytes()).isZero();
  }

  @Test
  void heapIsMeasuredAfterGc() throws Exception {
    Vertx vertx = Vertx.vertx();
    Guards g = new Guards(settings("--guards.monitor-interval=20ms"));
    try {
      g.start(vertx);
      System.gc();
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (g.heapUsed() <= 0 && System.nanoTime() < end) {
        Thread.sleep(20);
      }
      assertThat(g.heapUsed()).isGreaterThan(0).isLessThan(0.9);
      assertThat(g.pressure()).isNull();
      g.simulateHeapUsed(0.99);
      assertThat(g.pressure().code()).isEqualTo(Guards.HEAP_PRESSURE);
      assertThat(g.checkCapacity().get("heap")).isGreaterThan(1.0);
      assertThat(g.capacityWarning()).isTrue();
    } finally {
      g.stop();
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }
}
