package dev.tandem.crdt.differential;

import java.util.List;
import java.util.Map;

/**
 * One document under test, driven through the shared op vocabulary. {@link YjsDocDriver} backs
 * it with a real Yjs 13.6.33 document in the {@link YjsPeer}; a Java implementation over the
 * crdt doc model makes Java-vs-Yjs differential tests a matter of driving two drivers with the
 * same ops and updates and comparing the observations.
 */
public interface DocDriver extends AutoCloseable {

  /** Applies one op in one local transaction and returns the updates it emitted. */
  Emitted apply(Op op);

  /** Applies a v1 update (origin: remote). */
  void applyUpdate(byte[] update);

  /** Applies a v2 update. */
  void applyUpdateV2(byte[] update);

  /** {@code Y.encodeStateAsUpdate(doc, sv)}; sv null means everything. */
  byte[] encodeState(byte[] stateVector);

  /** {@code Y.encodeStateAsUpdateV2(doc, sv)}. */
  byte[] encodeStateV2(byte[] stateVector);

  /** {@code Y.encodeStateVector(doc)}. */
  byte[] stateVector();

  /**
   * {@code {root: root.toJSON()}} over the defined roots, in the Java lib0 model of {@link
   * Values} (subdocuments as {@link Values.SubDocRef}); compare with {@link Values#canonical}.
   */
  Map<String, Object> toJson();

  /** The document's shape, for {@link RandomOps}. */
  Map<String, Shape> shape();

  /** {@code text.toDelta()} of the addressed Y.Text / Y.XmlText, values in the Java model. */
  List<Map<String, Object>> textDelta(Target target);

  /** {@code toString()} of the addressed Y.XmlFragment / Y.XmlElement / Y.XmlText. */
  String xmlString(Target target);

  /** Applies a list of ops, each in its own transaction, returning what each emitted. */
  default List<Emitted> applyAll(List<Op> ops) {
    return ops.stream().map(this::apply).toList();
  }

  @Override
  void close();
}
