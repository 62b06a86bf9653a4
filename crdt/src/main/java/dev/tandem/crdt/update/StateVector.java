package dev.tandem.crdt.update;

import dev.tandem.crdt.MalformedDataException;
import dev.tandem.crdt.lib0.Lib0Decoder;
import dev.tandem.crdt.lib0.Lib0Encoder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * State vector codec: count, then (client, clock) var-uint pairs. Written sorted by client,
 * descending (Yjs's writeStateVector); v1 and v2 state vectors are the same bytes.
 */
public final class StateVector {
  private StateVector() {}

  public static byte[] encode(Map<Long, Long> sv) {
    Lib0Encoder out = new Lib0Encoder(8 + sv.size() * 8);
    List<Long> clients = new ArrayList<>(sv.keySet());
    clients.sort(Collections.reverseOrder());
    out.writeVarUint(clients.size());
    for (Long client : clients) {
      out.writeVarUint(client);
      out.writeVarUint(sv.get(client));
    }
    return out.toByteArray();
  }

  /**
   * Decodes a state vector; a repeated client takes the last clock (as a JavaScript Map
   * would). Trailing bytes are rejected.
   */
  public static Map<Long, Long> decode(byte[] bytes) {
    try {
      Lib0Decoder in = new Lib0Decoder(bytes);
      int n = in.readCount(2);
      Map<Long, Long> sv = new LinkedHashMap<>(Math.min(n, 1024) * 2);
      for (int i = 0; i < n; i++) {
        long client = in.readVarUint();
        sv.put(client, in.readVarUint());
      }
      if (in.hasContent()) {
        throw in.error("trailing bytes after the state vector");
      }
      return sv;
    } catch (IndexOutOfBoundsException | IllegalArgumentException e) {
      throw new MalformedDataException("malformed state vector: " + e, -1, e);
    }
  }
}
