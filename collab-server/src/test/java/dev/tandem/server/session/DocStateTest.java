package dev.tandem.server.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.crdt.MalformedDataException;
import dev.tandem.crdt.doc.Doc;
import dev.tandem.crdt.update.Updates;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DocStateTest {
  private static List<byte[]> edits(Doc d, Runnable... edits) {
    List<byte[]> out = new ArrayList<>();
    d.onUpdate((u, o, t) -> out.add(u));
    for (Runnable e : edits) {
      e.run();
    }
    return out;
  }

  @Test
  void reportsWhatAnUpdateBroughtAndNothingForRepeats() {
    Doc c = new Doc(7, true);
    List<byte[]> u = edits(c, () -> c.getText("t").insert(0, "hello"), () -> c.getText("t").delete(0, 2),
        () -> c.getMap("m").set("k", 1));
    DocState s = new DocState();
    assertThat(s.isEmpty()).isTrue();
    for (byte[] x : u) {
      assertThat(s.apply(x)).isEqualTo(x); // a client's own update is exactly what it brings
    }
    for (byte[] x : u) {
      assertThat(s.apply(x)).isNull();
    }
    assertThat(s.apply(Updates.mergeUpdates(u))).isNull();
    assertThat(s.apply(new byte[] {0, 0})).isNull();
    assertThat(s.stateVector()).isEqualTo(c.encodeStateVector());
    assertThat(s.encodeStateAsUpdate(c.encodeStateVector())).isEqualTo(c.encodeStateAsUpdate(c.encodeStateVector()));
    assertThat(s.isEmpty()).isFalse();

    // an update overlapping what is known brings only its new part
    byte[] before = c.encodeStateVector();
    List<byte[]> more = edits(c, () -> c.getText("t").insert(3, "!"));
    byte[] overlapping = Updates.mergeUpdates(List.of(u.get(0), more.get(0)));
    byte[] brought = s.apply(overlapping);
    assertThat(brought).isNotNull();
    assertThat(Updates.encodeStateVectorFromUpdate(brought)).isNotEqualTo(Updates.encodeStateVectorFromUpdate(overlapping));
    assertThat(Updates.diffUpdate(brought, before)).isEqualTo(brought);
  }

  @Test
  void updatesWaitingForDependenciesAreAlwaysReportedSoTheyGetStored() {
    Doc c = new Doc(7, true);
    List<byte[]> u = edits(c, () -> c.getText("t").insert(0, "a"), () -> c.getText("t").insert(1, "b"));
    DocState s = new DocState();
    assertThat(s.apply(u.get(1))).isEqualTo(u.get(1)); // pending: depends on u0
    assertThat(s.apply(u.get(1))).isEqualTo(u.get(1)); // still pending: stored again rather than lost
    assertThat(s.apply(u.get(0))).isNotNull();
    assertThat(s.apply(u.get(1))).isNull();
    assertThat(s.encodeStateAsUpdate(null)).isEqualTo(c.encodeStateAsUpdate());
  }

  @Test
  void containsTellsWhetherAnUpdateBringsNothingNew() {
    Doc c = new Doc(7, true);
    List<byte[]> u = edits(c, () -> c.getText("t").insert(0, "hello"), () -> c.getText("t").delete(1, 2),
        () -> c.getText("t").insert(3, "!"), () -> c.getText("t").delete(0, 1));
    DocState s = new DocState();
    assertThat(s.contains(new byte[] {0, 0})).isTrue();
    assertThat(s.contains(u.get(0))).isFalse(); // new structs
    s.apply(u.get(0));
    assertThat(s.contains(u.get(0))).isTrue();
    assertThat(s.contains(u.get(1))).isFalse(); // deletes what is alive here
    s.apply(u.get(1));
    assertThat(s.contains(u.get(1))).isTrue(); // deletions already applied (and garbage collected)
    assertThat(s.contains(Updates.mergeUpdates(List.of(u.get(0), u.get(1))))).isTrue();
    assertThat(s.contains(Updates.mergeUpdates(List.of(u.get(1), u.get(2))))).isFalse(); // and a new struct
    // a delete range only partly deleted here (7:0 is alive, 7:1..2 deleted)
    Doc other = new Doc(8, true);
    other.applyUpdate(u.get(0));
    List<byte[]> wide = edits(other, () -> other.getText("t").delete(0, 3));
    assertThat(s.contains(wide.get(0))).isFalse();
    s.apply(u.get(2));
    s.apply(u.get(3));
    assertThat(s.contains(wide.get(0))).isTrue();
    assertThat(s.contains(c.encodeStateAsUpdate())).isTrue();
  }

  @Test
  void containsIsFalseWhileUpdatesWaitForDependencies() {
    Doc c = new Doc(7, true);
    List<byte[]> u = edits(c, () -> c.getText("t").insert(0, "a"), () -> c.getText("t").insert(1, "b"));
    DocState s = new DocState();
    s.apply(u.get(1)); // pending
    assertThat(s.contains(new byte[] {0, 0})).isFalse();
  }

  @Test
  void aBadUpdateChangesNothingAndLoadSkipsCorruptEntries() {
    Doc c = new Doc(7, true);
    List<byte[]> u = edits(c, () -> c.getText("t").insert(0, "abc"), () -> c.getArray("a").push(List.of("x")));
    DocState s = DocState.load("d", List.of(u.get(0), new byte[] {1, 2, 3}, u.get(1)));
    assertThat(s.encodeStateAsUpdate(null)).isEqualTo(c.encodeStateAsUpdate());
    assertThatThrownBy(() -> s.apply(new byte[] {5, 5})).isInstanceOf(MalformedDataException.class);
    assertThat(s.encodeStateAsUpdate(null)).isEqualTo(c.encodeStateAsUpdate());
    assertThat(DocState.load("d", List.of()).isEmpty()).isTrue();
  }
}
