package dev.tandem.crdt.doc;

/** Receives the update a transaction produced (Yjs's 'update' / 'updateV2' events). */
@FunctionalInterface
public interface UpdateListener {
  void onUpdate(byte[] update, Object origin, Transaction transaction);
}
