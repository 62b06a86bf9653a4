package dev.tandem.server.ws;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The 4408 judgement of {@link SocketBase#silentTooLong}: any activity counts, late ticks never close. */
class KeepAliveJudgementTest {
  private static final long MS = 1_000_000L;
  private static Vertx vertx;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private static final class Probe extends SocketBase {
    Probe() {
      super(KeepAliveJudgementTest.vertx, null, "test", Duration.ofMillis(100), 1024);
    }

    @Override
    void onFrame(byte[] frame) {}

    @Override
    void onClosed() {}

    @Override
    void keepAlive(boolean idle) {}

    @Override
    boolean concerns(String document, String subject) {
      return false;
    }
  }

  @Test
  void silentPeerIsClosedAfterThreeOnTimeTicks() {
    Probe p = new Probe();
    long t = System.nanoTime();
    p.lastReceived = t;
    assertThat(p.silentTooLong(t + 100 * MS)).isFalse(); // first tick notices the initial activity
    assertThat(p.silentTooLong(t + 200 * MS)).isFalse();
    assertThat(p.silentTooLong(t + 300 * MS)).isFalse();
    assertThat(p.silentTooLong(t + 400 * MS)).isTrue(); // third silent tick, > 3 periods
  }

  @Test
  void anyActivityResetsTheCount() {
    Probe p = new Probe();
    long t = System.nanoTime();
    for (int i = 1; i <= 20; i++) {
      if (i % 3 == 0) {
        p.lastReceived = t + i * 100 * MS - 10 * MS; // a frame every third period
      }
      assertThat(p.silentTooLong(t + i * 100 * MS)).as("tick " + i).isFalse();
    }
  }

  @Test
  void aLateTickNeverCloses() {
    Probe p = new Probe();
    long t = System.nanoTime();
    p.lastReceived = t;
    assertThat(p.silentTooLong(t + 100 * MS)).isFalse();
    assertThat(p.silentTooLong(t + 200 * MS)).isFalse();
    assertThat(p.silentTooLong(t + 300 * MS)).isFalse();
    // the loop stalled for 45 s: frames that arrived meanwhile may not have been handled yet
    assertThat(p.silentTooLong(t + 45_300 * MS)).isFalse();
    // they were handled before the next tick: alive
    p.lastReceived = t + 45_310 * MS;
    assertThat(p.silentTooLong(t + 45_400 * MS)).isFalse();
    // then real silence: three on-time silent ticks close it
    assertThat(p.silentTooLong(t + 45_500 * MS)).isFalse();
    assertThat(p.silentTooLong(t + 45_600 * MS)).isFalse();
    assertThat(p.silentTooLong(t + 45_700 * MS)).isTrue();
  }
}
