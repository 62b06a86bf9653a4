package dev.tandem.crdt.update;

import dev.tandem.crdt.struct.AbstractStruct;
import java.util.ArrayList;
import java.util.List;

/**
 * Whole-update decode and encode: bytes -> {@link DecodedUpdate} (struct objects per client
 * section + delete set) -> bytes. Decoding keeps every wire detail (section order, the
 * parentSub info bit) so that {@code encode(decode(u)) == u} for every update Yjs produces.
 */
public final class UpdateCodec {
  private UpdateCodec() {}

  public static DecodedUpdate decode(byte[] update, UpdateFormat format) {
    try {
      UpdateDecoder decoder = format.decoder(update);
      StructReader reader = new StructReader(decoder, update.length, true, false);
      List<ClientStructs> sections = new ArrayList<>();
      while (reader.nextSection()) {
        long n = reader.sectionStructs();
        List<AbstractStruct> structs = new ArrayList<>((int) Math.min(n, Math.max(1024, 4L * update.length)));
        ClientStructs section =
            new ClientStructs(reader.sectionClient(), reader.sectionClock(), structs);
        for (AbstractStruct s = reader.readInSection(); s != null; s = reader.readInSection()) {
          structs.add(s);
        }
        sections.add(section);
      }
      DeleteSet ds = DeleteSet.read(decoder);
      decoder.finish();
      V2Layout layout = decoder instanceof UpdateDecoderV2 v2 ? v2.layout() : null;
      return new DecodedUpdate(sections, ds, update.length, layout);
    } catch (RuntimeException e) {
      throw Guard.translate(e);
    }
  }

  public static byte[] encode(DecodedUpdate update, UpdateFormat format) {
    // Sized for the bytes the update was decoded from: a round trip writes exactly as many
    // (v1), so the output needs neither growing nor a final copy.
    UpdateEncoder encoder =
        format == UpdateFormat.V2 && update.v2Layout() != null
            ? new UpdateEncoderV2(update.v2Layout())
            : format.encoder(update.sizeHint());
    encoder.rest().writeVarUint(update.clients().size());
    for (ClientStructs section : update.clients()) {
      encoder.rest().writeVarUint(section.structs().size());
      encoder.writeClient(section.client());
      encoder.rest().writeVarUint(section.startClock());
      for (AbstractStruct s : section.structs()) {
        s.write(encoder, 0);
      }
    }
    update.deleteSet().write(encoder);
    return encoder.toByteArray();
  }
}
