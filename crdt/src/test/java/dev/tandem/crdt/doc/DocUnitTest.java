package dev.tandem.crdt.doc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.crdt.MalformedDataException;
import dev.tandem.crdt.struct.AbstractStruct;
import dev.tandem.crdt.struct.ContentAny;
import dev.tandem.crdt.struct.ContentString;
import dev.tandem.crdt.struct.ID;
import dev.tandem.crdt.struct.Item;
import dev.tandem.crdt.update.ClientStructs;
import dev.tandem.crdt.update.DecodedUpdate;
import dev.tandem.crdt.update.DeleteSet;
import dev.tandem.crdt.update.Updates;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DocUnitTest {
  private static Doc textDoc() {
    Doc d = new Doc(1, true);
    d.getText("t").insert(0, "hello");
    d.getMap("m").set("k", "v");
    return d;
  }

  private static byte[] update(List<AbstractStruct> structs, long client, long clock) {
    return Updates.encodeUpdate(new DecodedUpdate(List.of(new ClientStructs(client, clock, new ArrayList<>(structs))), new DeleteSet()));
  }

  private static void assertRejectedUnchanged(Doc d, byte[] update) {
    byte[] before = d.encodeStateAsUpdate();
    byte[] beforeV2 = d.encodeStateAsUpdateV2();
    Object json = d.toJSON();
    assertThatThrownBy(() -> d.applyUpdate(update)).isInstanceOf(MalformedDataException.class);
    assertThat(d.encodeStateAsUpdate()).isEqualTo(before);
    assertThat(d.encodeStateAsUpdateV2()).isEqualTo(beforeV2);
    assertThat(d.toJSON()).isEqualTo(json);
    assertThat(d.hasPending()).isFalse();
  }

  @Test
  void parentThatIsNotATypeIsRejectedWithoutPartialMutation() {
    Doc d = textDoc();
    // a valid map entry first, then an item whose parent id points into the string "hello"
    Item ok = new Item(new ID(7, 0), null, null, "m", null, "x", false, new ContentAny(new ArrayList<>(List.of(1.0))));
    Item bad = new Item(new ID(7, 1), null, null, null, new ID(1, 2), null, false, new ContentString("evil"));
    assertRejectedUnchanged(d, update(List.of(ok, bad), 7, 0));
  }

  @Test
  void parentInsideTheSameUpdateIsCheckedToo() {
    Doc d = textDoc();
    Item str = new Item(new ID(7, 0), null, null, "t2", null, null, false, new ContentString("ab"));
    Item bad = new Item(new ID(7, 2), null, null, null, new ID(7, 0), null, false, new ContentString("x"));
    assertRejectedUnchanged(d, update(List.of(str, bad), 7, 0));
  }

  @Test
  void selfReferenceToAFutureClockIsRejected() {
    Doc d = textDoc();
    Item bad = new Item(new ID(7, 0), new ID(7, 5), null, null, null, null, false, new ContentString("x"));
    assertRejectedUnchanged(d, update(List.of(bad), 7, 0));
  }

  @Test
  void garbageAndTruncatedUpdatesLeaveTheDocUnchanged() {
    Doc d = textDoc();
    Doc other = new Doc(9, true);
    other.getText("t").insert(0, "remote text");
    byte[] good = other.encodeStateAsUpdate();
    assertRejectedUnchanged(d, new byte[] {1, 2, 3, 4, 5});
    for (int cut = 1; cut < good.length; cut++) {
      byte[] truncated = java.util.Arrays.copyOf(good, cut);
      assertRejectedUnchanged(d, truncated);
    }
    d.applyUpdate(good);
    assertThat(d.getText("t").toString()).contains("remote text").contains("hello");
  }

  @Test
  void textFormattingAndDelta() {
    Doc d = new Doc(1, true);
    YText t = d.getText("t");
    t.insert(0, "hello world");
    t.format(0, 5, Map.of("bold", true));
    t.insertEmbed(5, Map.of("image", "x.png"));
    t.format(1, 2, java.util.Collections.singletonMap("bold", null));
    List<Map<String, Object>> delta = t.toDelta();
    assertThat(delta).hasSize(5);
    assertThat(delta.get(0)).isEqualTo(Map.of("insert", "h", "attributes", Map.of("bold", true)));
    assertThat(delta.get(1)).isEqualTo(Map.of("insert", "el"));
    assertThat(delta.get(2)).isEqualTo(Map.of("insert", "lo", "attributes", Map.of("bold", true)));
    assertThat(delta.get(3).get("insert")).isEqualTo(Map.of("image", "x.png"));
    assertThat(t.toString()).isEqualTo("hello world");
    t.delete(0, 3);
    assertThat(t.toString()).isEqualTo("lo world");
    // another doc applying the updates ends identical
    Doc e = new Doc(2, true);
    e.applyUpdate(d.encodeStateAsUpdate());
    assertThat(e.getText("t").toDelta()).isEqualTo(t.toDelta());
    assertThat(e.encodeStateAsUpdate()).isEqualTo(d.encodeStateAsUpdate());
  }

  @Test
  void arrayMapAndNestedTypes() {
    Doc d = new Doc(1, false);
    YArray a = d.getArray("a");
    a.insert(0, List.of(1, "two", Map.of("three", 3)));
    a.push(List.of(new byte[] {1, 2}));
    YMap nested = new YMap();
    nested.set("inner", true);
    a.insert(1, List.of(nested));
    assertThat(a.length()).isEqualTo(5);
    a.delete(0, 1);
    assertThat(((YMap) a.get(0)).get("inner")).isEqualTo(true);
    YMap m = d.getMap("m");
    m.set("b", 2.5);
    m.set("1", "first");
    m.set("sub", Subdoc.create("guid-1", true, true, null));
    m.delete("b");
    assertThat(m.keys()).containsExactly("1", "sub");
    Map<String, Object> json = d.toJSON();
    assertThat(((List<?>) json.get("a")).get(0)).isEqualTo(Map.of("inner", true));
    Doc e = new Doc(2, false);
    e.applyUpdateV2(d.encodeStateAsUpdateV2());
    assertThat(e.encodeStateAsUpdate()).isEqualTo(d.encodeStateAsUpdate());
    assertThat(((Subdoc) e.getMap("m").get("sub")).shouldLoad()).isTrue();
  }

  @Test
  void xmlToStringAndProsemirror() {
    Doc d = new Doc(1, true);
    YXmlFragment f = d.getXmlFragment("prosemirror");
    YXmlElement p = new YXmlElement("paragraph");
    p.setAttribute("textAlign", "left");
    YXmlText text = new YXmlText();
    p.insert(0, List.of(text));
    f.insert(0, List.of(p));
    text.insert(0, "Hi ");
    text.insert(3, "there", Map.of("bold", Map.of()));
    assertThat(f.toString()).isEqualTo("<paragraph textAlign=\"left\">Hi <bold>there</bold></paragraph>");
    Map<String, Object> pm = f.toProsemirrorJSON();
    assertThat(pm)
        .isEqualTo(
            Map.of(
                "type", "doc",
                "content",
                    List.of(
                        Map.of(
                            "type", "paragraph",
                            "attrs", Map.of("textAlign", "left"),
                            "content",
                                List.of(
                                    Map.of("type", "text", "text", "Hi "),
                                    Map.of("type", "text", "text", "there", "marks", List.of(Map.of("type", "bold", "attrs", Map.of()))))))));
  }

  @Test
  void pendingUpdatesApplyWhenTheirDependenciesArrive() {
    Doc a = new Doc(1, true);
    List<byte[]> updates = new ArrayList<>();
    a.onUpdate((u, o, t) -> updates.add(u));
    YText t = a.getText("t");
    t.insert(0, "abc");
    t.insert(3, "def");
    t.delete(1, 3);
    Doc b = new Doc(2, true);
    b.applyUpdate(updates.get(2));
    b.applyUpdate(updates.get(1));
    assertThat(b.hasPending()).isTrue();
    b.applyUpdate(updates.get(0));
    assertThat(b.hasPending()).isFalse();
    assertThat(b.getText("t").toString()).isEqualTo("aef");
    assertThat(b.encodeStateAsUpdate()).isEqualTo(a.encodeStateAsUpdate());
  }

  @Test
  void updateEventsAndOrigin() {
    Doc a = new Doc(1, true);
    List<Object> origins = new ArrayList<>();
    a.onUpdate((u, o, t) -> origins.add(o));
    a.transact(tr -> a.getText("t").insert(0, "x"), "mine");
    a.transact(tr -> {});
    assertThat(origins).containsExactly("mine");
  }
}
