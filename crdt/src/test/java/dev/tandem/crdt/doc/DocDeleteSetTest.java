package dev.tandem.crdt.doc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.crdt.oracle.OracleFixtures;
import dev.tandem.crdt.oracle.OracleFixtures.Session;
import dev.tandem.crdt.update.DeleteSet;
import dev.tandem.crdt.update.Updates;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link Doc#isDeleted} and {@link Doc#coversDeleteSet} read the struct store directly; they must
 * answer exactly what the delete set of a full {@code encodeStateAsUpdate} says (the way the
 * server used to find out, at the cost of encoding the whole document).
 */
class DocDeleteSetTest {
  private static final AtomicInteger COVERED = new AtomicInteger();
  private static final AtomicInteger NOT_COVERED = new AtomicInteger();

  static Stream<Session> sessions() {
    return OracleFixtures.sessionStream();
  }

  /** The reference: is every id of the range inside the encoded delete set's ranges? */
  private static boolean encodedCovers(DeleteSet encoded, long client, long clock, long len) {
    DeleteSet.Ranges have = encoded.ranges(client);
    long end = clock + len;
    while (clock < end) {
      int at = have == null ? -1 : have.find(clock);
      if (at < 0) {
        return false;
      }
      clock = have.clock(at) + have.len(at);
    }
    return true;
  }

  private static boolean encodedCovers(DeleteSet encoded, DeleteSet ds) {
    for (long client : ds.clients()) {
      DeleteSet.Ranges r = ds.ranges(client);
      for (int i = 0; i < r.size(); i++) {
        if (!encodedCovers(encoded, client, r.clock(i), r.len(i))) {
          return false;
        }
      }
    }
    return true;
  }

  /**
   * Every oracle session (real Yjs edits, gc on and off) applied update by update: after each one,
   * the delete set of every update of the session, each encoded delete range, and random ranges
   * (inside, across and beyond each client's state) get the same answer from the store as from
   * the encoded delete set.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("sessions")
  void answersAsTheEncodedDeleteSetDoes(Session s) {
    List<byte[]> updates = s.bytesList("updatesV1");
    List<DeleteSet> updateDeletes = new ArrayList<>();
    for (byte[] u : updates) {
      updateDeletes.add(Updates.decodeUpdate(u).deleteSet());
    }
    Random random = new Random(s.seed());
    Doc d = new Doc(s.gc());
    for (int step = 0; step < updates.size(); step++) {
      d.applyUpdate(updates.get(step));
      if (d.hasPending()) {
        continue; // the encoded delete set then includes pending deletions, which isDeleted leaves out
      }
      DeleteSet encoded = Updates.decodeUpdate(d.encodeStateAsUpdate()).deleteSet();
      for (int j = 0; j < updateDeletes.size(); j++) {
        boolean want = encodedCovers(encoded, updateDeletes.get(j));
        assertThat(d.coversDeleteSet(updateDeletes.get(j))).as("seed %d step %d: deletions of update %d", s.seed(),
            step, j).isEqualTo(want);
        if (!updateDeletes.get(j).isEmpty()) {
          (want ? COVERED : NOT_COVERED).incrementAndGet();
        }
      }
      assertThat(d.coversDeleteSet(encoded)).as("seed %d step %d: its own delete set", s.seed(), step).isTrue();
      for (Map.Entry<Long, Long> e : d.stateVector().entrySet()) {
        long client = e.getKey();
        long state = e.getValue();
        assertThat(d.state(client)).isEqualTo(state);
        for (int k = 0; k < 12; k++) {
          long clock = random.nextInt((int) Math.min(Integer.MAX_VALUE, state + 2));
          long len = 1 + random.nextInt(k < 6 ? 3 : (int) Math.min(Integer.MAX_VALUE - 1, state + 2));
          assertThat(d.isDeleted(client, clock, len)).as("seed %d step %d: %d:%d+%d", s.seed(), step, client, clock,
              len).isEqualTo(encodedCovers(encoded, client, clock, len));
        }
      }
    }
  }

  /** The sessions must have asked both questions, or the comparison proves little. */
  @AfterAll
  static void bothAnswersSeen() {
    if (OracleFixtures.seedCount() >= 10) {
      assertThat(COVERED.get()).as("update deletions already covered").isPositive();
      assertThat(NOT_COVERED.get()).as("update deletions not covered yet").isPositive();
    }
  }

  @Test
  void gcAndKeptDeletionsUnknownClientsAndRangesBeyondTheState() {
    for (boolean gc : new boolean[] {true, false}) {
      Doc d = new Doc(1, gc);
      d.getText("t").insert(0, "abcdef"); // clocks 0..5 of client 1
      d.getText("t").delete(1, 2); // deletes 1:1 and 1:2
      assertThat(d.isDeleted(1, 1, 2)).as("gc %s", gc).isTrue();
      assertThat(d.isDeleted(1, 2, 1)).isTrue();
      assertThat(d.isDeleted(1, 0, 2)).isFalse(); // 1:0 is alive
      assertThat(d.isDeleted(1, 1, 3)).isFalse(); // 1:3 is alive
      assertThat(d.isDeleted(1, 3, 0)).isTrue(); // empty range
      assertThat(d.isDeleted(2, 0, 1)).isFalse(); // unknown client
      d.getText("t").delete(0, d.getText("t").length()); // everything deleted
      assertThat(d.isDeleted(1, 0, 6)).isTrue();
      assertThat(d.isDeleted(1, 5, 2)).isFalse(); // 1:6 does not exist yet
      assertThat(d.isDeleted(1, 5, Long.MAX_VALUE)).isFalse(); // clock + len overflows
      assertThat(d.state(1)).isEqualTo(6);
      assertThat(d.state(2)).isZero();
      DeleteSet ds = new DeleteSet();
      ds.add(1, 0, 2);
      ds.add(1, 4, 2);
      assertThat(d.coversDeleteSet(ds)).isTrue();
      ds.add(3, 0, 1);
      assertThat(d.coversDeleteSet(ds)).isFalse();
      assertThat(d.coversDeleteSet(new DeleteSet())).isTrue();
      assertThatThrownBy(() -> d.isDeleted(1, -1, 1)).isInstanceOf(IllegalArgumentException.class);
    }
  }
}
