package dev.tandem.server.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * The smoothing the event-loop-lag guard judges by (docs/operations.md "Event-loop lag guard"),
 * with the defaults: limit 1 s, each probe weighing 25%. Probe lags are given, not measured.
 */
class LagAverageTest {
  private static final long MS = 1_000_000L;
  private static final long LIMIT = 1000 * MS;

  private static boolean tripped(LagAverage a, long overdue) {
    return a.lagNanos(overdue) > LIMIT;
  }

  private static LagAverage calm() {
    LagAverage a = new LagAverage(0.25);
    for (int i = 0; i < 20; i++) {
      a.sample(0);
    }
    return a;
  }

  @Test
  void oneStallBelowLimitOverWeightDoesNotTrip() {
    LagAverage a = calm();
    // during a 3 s stall the pending probe is overdue up to 3 s
    for (long overdue = 0; overdue <= 3000 * MS; overdue += 100 * MS) {
      assertThat(tripped(a, overdue)).as("overdue %d ms", overdue / MS).isFalse();
    }
    a.sample(3000 * MS); // the probe finally ran, 3 s late: three times the limit
    assertThat(a.lagNanos(0)).isEqualTo(750 * MS);
    assertThat(tripped(a, 0)).isFalse();
    a.sample(0);
    assertThat(a.lagNanos(0)).isLessThan(750 * MS);
  }

  @Test
  void aLongStallTripsWhileItLastsAndClearsSoonAfter() {
    LagAverage a = calm();
    assertThat(tripped(a, 3999 * MS)).isFalse();
    assertThat(tripped(a, 4001 * MS)).isTrue(); // a stuck loop trips once limit / weight overdue
    a.sample(5000 * MS);
    assertThat(tripped(a, 0)).isTrue(); // 1.25 s
    a.sample(0);
    assertThat(tripped(a, 0)).isFalse(); // 0.94 s: one on-time probe later
  }

  @Test
  void sustainedLagTripsAtTheFourthLateProbe() {
    LagAverage a = calm();
    for (int i = 1; i <= 3; i++) {
      a.sample(1500 * MS);
      assertThat(tripped(a, 0)).as("after late probe %d", i).isFalse();
    }
    assertThat(tripped(a, 1500 * MS)).as("4th probe 1.5 s overdue").isTrue();
    a.sample(1500 * MS);
    assertThat(tripped(a, 0)).isTrue();
    for (int i = 0; i < 10; i++) {
      a.sample(1500 * MS);
      assertThat(tripped(a, 0)).isTrue(); // stays tripped while the lag lasts
    }
  }

  @Test
  void lagHoveringAroundTheLimitTripsWhenItsAverageIsAbove() {
    LagAverage over = calm();
    LagAverage under = calm();
    long[] above = {1100, 900, 1300, 950, 1200}; // mean 1.09 s, though every other probe is on the safe side
    long[] below = {900, 1100, 700, 1050, 800}; // mean 0.91 s, though some probes are over the limit
    for (int round = 0; round < 20; round++) {
      for (int i = 0; i < above.length; i++) {
        over.sample(above[i] * MS);
        under.sample(below[i] * MS);
        assertThat(tripped(under, 0)).as("round %d probe %d", round, i).isFalse();
        if (round >= 4) { // once the average has settled, it stays above the limit after every probe
          assertThat(tripped(over, 0)).as("round %d probe %d", round, i).isTrue();
        }
      }
    }
  }

  @Test
  void aLagBelowTheLimitNeverTrips() {
    LagAverage a = calm();
    for (int i = 0; i < 100; i++) {
      a.sample(900 * MS);
      assertThat(tripped(a, 0)).isFalse();
      assertThat(tripped(a, 900 * MS)).isFalse();
    }
  }

  @Test
  void fullWeightJudgesTheLatestProbeAlone() {
    LagAverage a = new LagAverage(1.0);
    a.sample(1200 * MS);
    assertThat(a.lagNanos(0)).isEqualTo(1200 * MS);
    a.sample(10 * MS);
    assertThat(a.lagNanos(0)).isEqualTo(10 * MS);
    assertThat(a.lagNanos(2000 * MS)).isEqualTo(2000 * MS); // overdue right now
  }

  @Test
  void aProbeNotDueYetAndNegativeLagsChangeNothing() {
    LagAverage a = new LagAverage(0.25);
    a.sample(400 * MS);
    assertThat(a.lagNanos(-50 * MS)).isEqualTo(100 * MS);
    assertThat(a.lagNanos(50 * MS)).isEqualTo(100 * MS); // overdue less than the average: no effect
    a.sample(-5 * MS); // clock noise: counted as on time
    assertThat(a.lagNanos(0)).isEqualTo(75 * MS);
    assertThatThrownBy(() -> new LagAverage(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new LagAverage(1.5)).isInstanceOf(IllegalArgumentException.class);
  }
}
