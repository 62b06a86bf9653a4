package dev.tandem.crdt.update;

import dev.tandem.crdt.lib0.Lib0Encoder;
import dev.tandem.crdt.struct.AbstractStruct;
import dev.tandem.crdt.struct.Skip;
import java.util.List;
import java.util.Map;

/**
 * Update-level operations, byte-identical to Yjs 13.6.33's functions of the same names. All of
 * them read their inputs lazily, struct by struct, and throw only
 * {@link dev.tandem.crdt.MalformedDataException} for bad input. Inputs are validated
 * completely (Yjs is lenient about trailing bytes; we are not, see {@link DsDecoder#finish}).
 */
public final class Updates {
  private Updates() {}

  // ------------------------------------------------------------------ decode / encode

  public static DecodedUpdate decodeUpdate(byte[] update) {
    return UpdateCodec.decode(update, UpdateFormat.V1);
  }

  public static DecodedUpdate decodeUpdateV2(byte[] update) {
    return UpdateCodec.decode(update, UpdateFormat.V2);
  }

  public static byte[] encodeUpdate(DecodedUpdate update) {
    return UpdateCodec.encode(update, UpdateFormat.V1);
  }

  public static byte[] encodeUpdateV2(DecodedUpdate update) {
    return UpdateCodec.encode(update, UpdateFormat.V2);
  }

  // ------------------------------------------------------------------ state vectors

  public static byte[] encodeStateVector(Map<Long, Long> sv) {
    return StateVector.encode(sv);
  }

  public static Map<Long, Long> decodeStateVector(byte[] sv) {
    return StateVector.decode(sv);
  }

  public static byte[] encodeStateVectorFromUpdate(byte[] update) {
    return stateVectorFromUpdate(update, UpdateFormat.V1);
  }

  public static byte[] encodeStateVectorFromUpdateV2(byte[] update) {
    return stateVectorFromUpdate(update, UpdateFormat.V2);
  }

  /**
   * The state an update brings a client to, assuming it starts from nothing: per client, the
   * end of the run of structs starting at clock 0 without gaps. Clients are written in the
   * order the update lists them (not sorted), as Yjs does.
   */
  private static byte[] stateVectorFromUpdate(byte[] update, UpdateFormat format) {
    try {
      UpdateDecoder decoder = format.decoder(update);
      StructReader reader = new StructReader(decoder, update.length, false, false);
      Lib0Encoder entries = new Lib0Encoder();
      long size = 0;
      AbstractStruct curr = reader.curr();
      if (curr != null) {
        long currClient = curr.client();
        boolean stopCounting = curr.clock() != 0;
        long currClock = stopCounting ? 0 : curr.endClock();
        for (; curr != null; curr = reader.next()) {
          if (currClient != curr.client()) {
            if (currClock != 0) {
              size++;
              entries.writeVarUint(currClient);
              entries.writeVarUint(currClock);
            }
            currClient = curr.client();
            currClock = 0;
            stopCounting = curr.clock() != 0;
          }
          if (curr instanceof Skip) {
            stopCounting = true;
          }
          if (!stopCounting) {
            currClock = curr.endClock();
          }
        }
        if (currClock != 0) {
          size++;
          entries.writeVarUint(currClient);
          entries.writeVarUint(currClock);
        }
      }
      // validate the remainder, as a full read would
      DeleteSet.read(decoder);
      decoder.finish();
      Lib0Encoder out = new Lib0Encoder(entries.length() + 8);
      out.writeVarUint(size);
      out.writeEncoded(entries);
      return out.toByteArray();
    } catch (RuntimeException e) {
      throw Guard.translate(e);
    }
  }

  // ------------------------------------------------------------------ delete sets

  /** A delete set alone, as Yjs's {@code writeDeleteSet} with a DSEncoderV1 writes it. */
  public static byte[] encodeDeleteSet(DeleteSet ds) {
    UpdateEncoderV1 e = new UpdateEncoderV1();
    ds.write(e);
    return e.toByteArray();
  }

  /** A delete set alone, as Yjs's {@code writeDeleteSet} with a DSEncoderV2 writes it. */
  public static byte[] encodeDeleteSetV2(DeleteSet ds) {
    DsEncoderV2 e = new DsEncoderV2();
    ds.write(e);
    return e.toByteArray();
  }

  public static DeleteSet decodeDeleteSet(byte[] bytes) {
    return decodeDeleteSet(new UpdateDecoderV1(bytes));
  }

  public static DeleteSet decodeDeleteSetV2(byte[] bytes) {
    return decodeDeleteSet(new DsDecoderV2(bytes));
  }

  /** A delete set that must take up all of the decoder's input. */
  private static DeleteSet decodeDeleteSet(DsDecoder d) {
    try {
      DeleteSet ds = DeleteSet.read(d);
      d.finish();
      return ds;
    } catch (RuntimeException e) {
      throw Guard.translate(e);
    }
  }

  // ------------------------------------------------------------------ format conversion

  public static byte[] convertUpdateFormatV1ToV2(byte[] update) {
    return convert(update, UpdateFormat.V1, UpdateFormat.V2);
  }

  public static byte[] convertUpdateFormatV2ToV1(byte[] update) {
    return convert(update, UpdateFormat.V2, UpdateFormat.V1);
  }

  private static byte[] convert(byte[] update, UpdateFormat from, UpdateFormat to) {
    try {
      UpdateDecoder decoder = from.decoder(update);
      StructReader reader = new StructReader(decoder, update.length, false, false);
      UpdateEncoder encoder = to.encoder();
      StructWriter writer = new StructWriter(encoder);
      for (AbstractStruct s = reader.curr(); s != null; s = reader.next()) {
        writer.write(s, 0);
      }
      return finishWithDeleteSet(writer, decoder, encoder);
    } catch (RuntimeException e) {
      throw Guard.translate(e);
    }
  }

  /**
   * Ends the struct part {@code writer} wrote and copies the input's delete set, which must
   * end the input, after it.
   */
  private static byte[] finishWithDeleteSet(
      StructWriter writer, UpdateDecoder decoder, UpdateEncoder encoder) {
    writer.finish();
    DeleteSet ds = DeleteSet.read(decoder);
    decoder.finish();
    ds.write(encoder);
    return encoder.toByteArray();
  }

  // ------------------------------------------------------------------ diff

  public static byte[] diffUpdate(byte[] update, byte[] stateVector) {
    return diff(update, stateVector, UpdateFormat.V1);
  }

  public static byte[] diffUpdateV2(byte[] update, byte[] stateVector) {
    return diff(update, stateVector, UpdateFormat.V2);
  }

  /**
   * The part of {@code update} not covered by the state vector: structs of each client from
   * the state's clock on (the first one cut with an offset); Skips before the first written
   * struct of a client are dropped. The delete set is passed through unchanged.
   */
  private static byte[] diff(byte[] update, byte[] sv, UpdateFormat format) {
    Map<Long, Long> state = StateVector.decode(sv);
    try {
      UpdateDecoder decoder = format.decoder(update);
      StructReader reader = new StructReader(decoder, update.length, false, false);
      // A diff is at most about as large as its input. The encoder's first rest stream takes
      // the first client's structs, the next one (sized by the writer) the section count, the
      // copied fragments and the delete set; in v1 both hold about the whole input.
      UpdateEncoder encoder = format.encoder(update.length + 16);
      int restHint = format == UpdateFormat.V1 ? update.length : update.length / 16;
      StructWriter writer = new StructWriter(encoder, restHint);
      AbstractStruct curr = reader.curr();
      while (curr != null) {
        long currClient = curr.client();
        long svClock = state.getOrDefault(currClient, 0L);
        if (curr instanceof Skip) {
          curr = reader.next();
          continue;
        }
        if (curr.endClock() > svClock) {
          writer.write(curr, Math.max(svClock - curr.clock(), 0));
          curr = reader.next();
          while (curr != null && curr.client() == currClient) {
            writer.write(curr, 0);
            curr = reader.next();
          }
        } else {
          while (curr != null
              && curr.client() == currClient
              && curr.endClock() <= svClock) {
            curr = reader.next();
          }
        }
      }
      return finishWithDeleteSet(writer, decoder, encoder);
    } catch (RuntimeException e) {
      throw Guard.translate(e);
    }
  }

  // ------------------------------------------------------------------ merge

  public static byte[] mergeUpdates(List<byte[]> updates) {
    return UpdateMerger.merge(updates, UpdateFormat.V1);
  }

  public static byte[] mergeUpdatesV2(List<byte[]> updates) {
    return UpdateMerger.merge(updates, UpdateFormat.V2);
  }
}
