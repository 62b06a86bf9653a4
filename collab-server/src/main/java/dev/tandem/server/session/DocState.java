package dev.tandem.server.session;

import dev.tandem.crdt.MalformedDataException;
import dev.tandem.crdt.doc.Doc;
import dev.tandem.crdt.struct.AbstractStruct;
import dev.tandem.crdt.struct.Skip;
import dev.tandem.crdt.update.ClientStructs;
import dev.tandem.crdt.update.DecodedUpdate;
import dev.tandem.crdt.update.Updates;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/**
 * A document held as a live crdt {@link Doc} (Yjs 13.6 semantics, gc on), the way a Yjs server
 * holds it.
 *
 * <ul>
 *   <li>apply = {@code Doc.applyUpdate} (all-or-nothing: a malformed update throws and changes
 *       nothing). What the update brought is what the Doc's update event reports for the
 *       transaction (only newly integrated structs and newly deleted ranges; no event = nothing
 *       new), which is also what gets relayed and stored. While the Doc holds pending structs or
 *       deletions (an update whose dependencies have not arrived), the update itself is returned
 *       instead, even when it repeats something pending, so that nothing waiting for its
 *       dependencies is acknowledged without being stored;
 *   <li>SyncStep2 for a state vector = {@code encodeStateAsUpdate(sv)} (pending content included);
 *   <li>SyncStep1 = {@code encodeStateVector()}, cached until the next change.
 * </ul>
 *
 * Apply costs O(update) (plus the integration search), encoding the state O(document).
 */
public final class DocState implements DocumentState {
  private static final Logger LOG = Logger.getLogger(DocState.class.getName());

  private final Doc doc = new Doc(true);
  private final List<byte[]> produced = new ArrayList<>(1);
  private byte[] stateVector;
  /** Bytes of everything applied that changed the document: an upper estimate of its encoded size. */
  private long sizeBytes;

  public DocState() {
    doc.onUpdate((update, origin, tr) -> produced.add(update));
  }

  /**
   * Builds the state from stored updates (snapshot first, then log entries), merged and applied in
   * one transaction. If that fails, the updates are applied one by one and any that does not apply
   * (it was validated before it was stored, so this means corruption) is skipped and logged rather
   * than making the whole document unreadable.
   */
  public static DocState load(String document, List<byte[]> updates) {
    DocState s = new DocState();
    if (updates.isEmpty()) {
      return s;
    }
    try {
      byte[] all = updates.size() == 1 ? updates.get(0) : Updates.mergeUpdates(updates);
      s.doc.applyUpdate(all);
    } catch (MalformedDataException e) {
      for (int i = 0; i < updates.size(); i++) {
        try {
          s.doc.applyUpdate(updates.get(i));
        } catch (MalformedDataException bad) {
          LOG.severe("document " + document + ": stored update #" + i + " (" + updates.get(i).length
              + " bytes) does not apply and is skipped: " + bad.getMessage());
        }
      }
    }
    s.produced.clear();
    for (byte[] u : updates) {
      s.sizeBytes += u.length;
    }
    return s;
  }

  @Override
  public byte[] apply(byte[] update) {
    produced.clear();
    try {
      doc.applyUpdate(update);
    } finally {
      stateVector = null;
    }
    byte[] result;
    if (doc.hasPending()) {
      result = update;
    } else if (produced.isEmpty()) {
      result = null;
    } else if (produced.size() == 1) {
      result = produced.get(0);
    } else {
      result = Updates.mergeUpdates(produced);
    }
    produced.clear();
    if (result != null) {
      sizeBytes += result.length;
    }
    return result;
  }

  @Override
  public byte[] encodeStateAsUpdate(byte[] sv) {
    return doc.encodeStateAsUpdate(sv);
  }

  @Override
  public byte[] stateVector() {
    if (stateVector == null) {
      stateVector = doc.encodeStateVector();
    }
    return stateVector;
  }

  @Override
  public long sizeBytes() {
    return sizeBytes;
  }

  /**
   * Whether applying {@code update} would change nothing: every struct is below the document's
   * state for its client and every deletion is already deleted here. Asked on the session's event
   * loop while the write buffer is full, so it costs O(update): the state per client and
   * {@link Doc#coversDeleteSet} read the struct store directly, nothing is encoded.
   */
  @Override
  public boolean contains(byte[] update) {
    DecodedUpdate decoded = Updates.decodeUpdate(update);
    if (doc.hasPending()) {
      return false; // pending content is not integrated yet: treat everything as possibly new
    }
    for (ClientStructs cs : decoded.clients()) {
      long state = doc.state(cs.client());
      for (AbstractStruct struct : cs.structs()) {
        if (!(struct instanceof Skip) && struct.endClock() > state) {
          return false;
        }
      }
    }
    return doc.coversDeleteSet(decoded.deleteSet());
  }

  @Override
  public boolean isEmpty() {
    return doc.stateVector().isEmpty() && !doc.hasPending();
  }
}
