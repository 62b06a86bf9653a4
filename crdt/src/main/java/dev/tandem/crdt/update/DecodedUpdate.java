package dev.tandem.crdt.update;

import java.util.List;

/**
 * A fully decoded update: client sections in wire order (Yjs writes higher client ids first)
 * and the delete set. {@link UpdateCodec#encode} turns it back into identical bytes.
 *
 * @param sizeHint the byte length of the update this was decoded from (0 if built by hand);
 *     only used to size the encoder's buffer
 * @param v2Layout the column sizes of the v2 update this was decoded from, or null; lets a
 *     v2 re-encode allocate each column once at the right size
 */
public record DecodedUpdate(
    List<ClientStructs> clients, DeleteSet deleteSet, int sizeHint, V2Layout v2Layout) {
  public DecodedUpdate(List<ClientStructs> clients, DeleteSet deleteSet) {
    this(clients, deleteSet, 0, null);
  }
}
