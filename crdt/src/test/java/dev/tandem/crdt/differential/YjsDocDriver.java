package dev.tandem.crdt.differential;

import java.util.List;
import java.util.Map;

/** A {@link DocDriver} over one Yjs document hosted by a {@link YjsPeer}. */
public final class YjsDocDriver implements DocDriver {
  private final YjsPeer peer;
  private final String name;

  /**
   * Creates a fresh Yjs doc in the peer.
   *
   * @param roots the root types to define up front (every driver compared with this one should
   *     get the same roots; ops also define the roots they address)
   */
  public YjsDocDriver(YjsPeer peer, long clientId, boolean gc, Map<String, RootType> roots) {
    this.peer = peer;
    this.name = peer.freshDocName("c" + clientId);
    peer.newDoc(name, clientId, gc, roots);
  }

  public YjsPeer peer() {
    return peer;
  }

  /** The doc's name inside the peer (for raw or batched requests). */
  public String name() {
    return name;
  }

  @Override
  public Emitted apply(Op op) {
    return peer.op(name, op);
  }

  @Override
  public void applyUpdate(byte[] update) {
    peer.applyUpdate(name, update, 1);
  }

  @Override
  public void applyUpdateV2(byte[] update) {
    peer.applyUpdate(name, update, 2);
  }

  @Override
  public byte[] encodeState(byte[] stateVector) {
    return peer.encodeState(name, stateVector, 1);
  }

  @Override
  public byte[] encodeStateV2(byte[] stateVector) {
    return peer.encodeState(name, stateVector, 2);
  }

  @Override
  public byte[] stateVector() {
    return peer.stateVector(name);
  }

  @Override
  public Map<String, Object> toJson() {
    return peer.toJson(name);
  }

  @Override
  public Map<String, Shape> shape() {
    return peer.shape(name);
  }

  @Override
  public List<Map<String, Object>> textDelta(Target target) {
    return peer.textDelta(name, target);
  }

  @Override
  public String xmlString(Target target) {
    return peer.xmlString(name, target);
  }

  @Override
  public void close() {
    if (peer.isAlive()) {
      peer.destroy(name);
    }
  }

  @Override
  public String toString() {
    return "yjs:" + name;
  }
}
