package dev.tandem.crdt.differential;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.crdt.json.Json;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * What converged replicas must agree on, read from one {@link DocDriver}: state vector (hex),
 * toJSON, text delta of root "text" and XML string of root "xml" (lone surrogates replaced, as
 * peers receive them) and the encoded v1 state.
 */
record ReplicaView(String stateVector, String json, String textDelta, String xml, byte[] state) {
  private static final Target TEXT = Target.root("text", RootType.TEXT);
  private static final Target XML = Target.root("xml", RootType.XML_FRAGMENT);

  static ReplicaView of(DocDriver d) {
    return new ReplicaView(
        HexFormat.of().formatHex(d.stateVector()),
        Values.canonical(Values.replaceLoneSurrogates(d.toJson())),
        Values.canonical(Values.replaceLoneSurrogates(d.textDelta(TEXT))),
        Values.wellFormed(d.xmlString(XML)),
        d.encodeState(null));
  }

  /**
   * Asserts that {@code other} shows the same. The encoded states are byte-equal unless the
   * replicas split structs differently (GC runs, item runs one merged and the other did not);
   * then {@code peer}'s canonical decodings of both must agree.
   */
  void assertSameAs(DocDriver other, String what, YjsPeer peer) {
    ReplicaView o = of(other);
    assertThat(o.stateVector).as(what + " state vector").isEqualTo(stateVector);
    assertThat(o.json).as(what + " toJSON").isEqualTo(json);
    assertThat(o.textDelta).as(what + " text delta").isEqualTo(textDelta);
    assertThat(o.xml).as(what + " xml").isEqualTo(xml);
    if (!Arrays.equals(o.state, state)) {
      assertThat(Json.stringify(peer.decodeUpdate(o.state, 1, true)))
          .as(what + " encoded state")
          .isEqualTo(Json.stringify(peer.decodeUpdate(state, 1, true)));
    }
  }
}
