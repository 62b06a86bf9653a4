package dev.tandem.crdt.doc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RootKindTest {
  private static Doc received(Doc source) {
    Doc d = new Doc(99, true);
    d.applyUpdate(source.encodeStateAsUpdate());
    return d;
  }

  @Test
  void infersTheKindOfRootsOnlyReceivedInUpdates() {
    Doc s = new Doc(1, true);
    s.getText("text").insert(0, "hello");
    s.getArray("array").push(List.of("a", 1.0));
    s.getArray("arrayOfMaps").push(List.of(new YMap()));
    s.getArray("mixed").push(List.of(new YXmlElement("div"), "value", new YXmlText()));
    s.getMap("map").set("k", "v");
    YXmlElement p = new YXmlElement("p");
    s.getXmlFragment("xml").push(List.of(p));
    p.push(List.of(new YXmlText()));
    s.getText("deleted").insert(0, "gone");
    s.getText("deleted").delete(0, 4);
    s.getMap("mapAllDeleted").set("k", "v");
    s.getMap("mapAllDeleted").delete("k");

    Doc d = received(s);
    assertThat(d.inferRootKind("text")).isEqualTo(RootKind.TEXT);
    assertThat(d.inferRootKind("array")).isEqualTo(RootKind.ARRAY);
    assertThat(d.inferRootKind("arrayOfMaps")).isEqualTo(RootKind.ARRAY);
    // XML nodes among other values: only a Y.Array holds both
    assertThat(d.inferRootKind("mixed")).isEqualTo(RootKind.ARRAY);
    assertThat(d.inferRootKind("map")).isEqualTo(RootKind.MAP);
    assertThat(d.inferRootKind("xml")).isEqualTo(RootKind.XML_FRAGMENT);
    assertThat(d.inferRootKind("mapAllDeleted")).isEqualTo(RootKind.MAP);
    assertThat(d.inferRootKind("deleted")).isEqualTo(RootKind.UNKNOWN);
    assertThat(d.inferRootKind("nothing")).isEqualTo(RootKind.UNKNOWN);
    // inferring changes nothing: the roots stay untyped
    assertThat(d.toJSON().get("text")).isEqualTo(dev.tandem.crdt.lib0.Undefined.INSTANCE);
    assertThat(d.encodeStateAsUpdate()).isEqualTo(s.encodeStateAsUpdate());
    // typed roots report their type
    assertThat(s.inferRootKind("deleted")).isEqualTo(RootKind.TEXT);
    assertThat(d.getXmlFragment("xml").toString()).isEqualTo("<p></p>");
    assertThat(d.inferRootKind("xml")).isEqualTo(RootKind.XML_FRAGMENT);
  }
}
