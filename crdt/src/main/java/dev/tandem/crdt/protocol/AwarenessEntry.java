package dev.tandem.crdt.protocol;

import dev.tandem.crdt.json.Json;
import java.util.Objects;

/**
 * One client's entry in an awareness update: its client id, its awareness clock and its state
 * as the raw JSON text the client produced with {@code JSON.stringify}. The server relays the
 * text untouched; {@code "null"} means the client's state was removed.
 *
 * @param clientId the Yjs client id (var-uint, at most 2^53-1)
 * @param clock the awareness clock of that client (var-uint, at most 2^53-1)
 * @param stateJson the JSON text of the state; {@code "null"} for a removed client
 */
public record AwarenessEntry(long clientId, long clock, String stateJson) {
  public static final String REMOVED = "null";

  public AwarenessEntry {
    if (clientId < 0 || clock < 0) {
      throw new IllegalArgumentException("clientId and clock must be non-negative");
    }
    Objects.requireNonNull(stateJson, "stateJson");
  }

  /** An entry announcing that the client's state is gone. */
  public static AwarenessEntry removed(long clientId, long clock) {
    return new AwarenessEntry(clientId, clock, REMOVED);
  }

  /**
   * An entry whose state is {@code JSON.stringify(state)} (see {@link Json#stringify}); an
   * {@code Undefined} state is written {@code null}, as y-protocols does ({@code
   * states.get(clientID) || null}).
   */
  public static AwarenessEntry of(long clientId, long clock, Object state) {
    String json = Json.stringify(state);
    return new AwarenessEntry(clientId, clock, json == null ? REMOVED : json);
  }

  /** True when the state is JSON {@code null}: y-protocols then deletes the client's state. */
  public boolean isRemoved() {
    return Json.validateIsNull(stateJson);
  }

  /** The state parsed into the lib0 {@code any} Java model (null when removed). */
  public Object state() {
    return Json.parse(stateJson);
  }
}
