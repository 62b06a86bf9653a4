package dev.tandem.server.session;

import dev.tandem.crdt.MalformedDataException;
import dev.tandem.crdt.update.Updates;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.logging.Logger;

/**
 * A document kept as a single merged Yjs v1 update, on top of the crdt module's update-level
 * operations ({@code mergeUpdates}, {@code diffUpdate}, {@code encodeStateVectorFromUpdate}, which
 * match Yjs 13.6 byte for byte).
 *
 * <ul>
 *   <li>apply = {@code mergeUpdates([state, update])}; the update brought something new iff the
 *       merged bytes differ from the old state (merging is deterministic, so an update that is
 *       already contained gives the same bytes back; a false "changed" would only cause a
 *       redundant relay and append, never a lost update);
 *   <li>SyncStep2 for a state vector = {@code diffUpdate(state, sv)};
 *   <li>SyncStep1 = {@code encodeStateVectorFromUpdate(state)} (cached until the next change;
 *       it stops at gaps, so updates waiting for missing dependencies are asked for again).
 * </ul>
 *
 * Cost is O(document size) per applied update; {@link DocumentSession} runs these calls on a
 * worker thread once the document is at least {@code session.offload-bytes} big.
 */
public final class MergedUpdateState implements DocumentState {
  private static final Logger LOG = Logger.getLogger(MergedUpdateState.class.getName());
  /** The empty v1 update: no structs, empty delete set. */
  static final byte[] EMPTY = {0, 0};

  private byte[] state;
  private byte[] stateVector;

  public MergedUpdateState() {
    this.state = EMPTY;
  }

  private MergedUpdateState(byte[] state) {
    this.state = state;
  }

  /**
   * Builds the state from stored updates (snapshot first, then log entries). An entry that does not
   * decode (it was validated before it was stored, so this means corruption) is skipped and logged
   * rather than making the whole document unreadable.
   */
  public static MergedUpdateState of(String document, List<byte[]> updates) {
    if (updates.isEmpty()) {
      return new MergedUpdateState();
    }
    List<byte[]> all = new ArrayList<>(updates.size() + 1);
    all.add(EMPTY);
    all.addAll(updates);
    try {
      return new MergedUpdateState(Updates.mergeUpdates(all));
    } catch (MalformedDataException e) {
      List<byte[]> good = new ArrayList<>(all.size());
      for (int i = 0; i < updates.size(); i++) {
        try {
          Updates.decodeUpdate(updates.get(i));
          good.add(updates.get(i));
        } catch (MalformedDataException bad) {
          LOG.severe("document " + document + ": stored update #" + i + " (" + updates.get(i).length
              + " bytes) does not decode and is skipped: " + bad.getMessage());
        }
      }
      good.add(0, EMPTY);
      return new MergedUpdateState(Updates.mergeUpdates(good));
    }
  }

  /** Decodes the update completely; throws {@link MalformedDataException} when it is not a valid v1 update. */
  public static void validate(byte[] update) {
    Updates.decodeUpdate(update);
  }

  /** Decodes a state vector completely; throws {@link MalformedDataException} when it is not valid. */
  public static void validateStateVector(byte[] stateVector) {
    Updates.decodeStateVector(stateVector);
  }

  @Override
  public boolean apply(byte[] update) {
    byte[] merged = Updates.mergeUpdates(List.of(state, update));
    if (Arrays.equals(merged, state)) {
      return false;
    }
    state = merged;
    stateVector = null;
    return true;
  }

  @Override
  public byte[] encodeStateAsUpdate(byte[] sv) {
    if (sv == null) {
      return state;
    }
    return Updates.diffUpdate(state, sv);
  }

  @Override
  public byte[] stateVector() {
    if (stateVector == null) {
      stateVector = Updates.encodeStateVectorFromUpdate(state);
    }
    return stateVector;
  }

  @Override
  public long sizeBytes() {
    return state.length;
  }

  @Override
  public boolean isEmpty() {
    return Arrays.equals(state, EMPTY);
  }
}
