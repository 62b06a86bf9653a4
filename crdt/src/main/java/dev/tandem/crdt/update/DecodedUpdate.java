package dev.tandem.crdt.update;

import java.util.List;

/**
 * A fully decoded update: client sections in wire order (Yjs writes higher client ids first)
 * and the delete set. {@link UpdateCodec#encode} turns it back into identical bytes.
 */
public record DecodedUpdate(List<ClientStructs> clients, DeleteSet deleteSet) {}
