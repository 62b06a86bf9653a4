package dev.tandem.crdt.update;

import dev.tandem.crdt.MalformedDataException;
import dev.tandem.crdt.lib0.IntDiffOptRleDecoder;
import dev.tandem.crdt.lib0.Lib0Decoder;
import dev.tandem.crdt.lib0.RleDecoder;
import dev.tandem.crdt.lib0.StringDecoder;
import dev.tandem.crdt.lib0.UintOptRleDecoder;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads update format v2 (see {@link UpdateEncoderV2}). The columns are sliced out of the
 * input without copying; error offsets are positions in the whole update.
 */
public final class UpdateDecoderV2 implements UpdateDecoder {
  private final Lib0Decoder rest;
  private final DsDecoderV2 ds;
  private final List<String> keys = new ArrayList<>();
  private final IntDiffOptRleDecoder keyClockDecoder;
  private final UintOptRleDecoder clientDecoder;
  private final IntDiffOptRleDecoder leftClockDecoder;
  private final IntDiffOptRleDecoder rightClockDecoder;
  private final RleDecoder infoDecoder;
  private final StringDecoder stringDecoder;
  private final RleDecoder parentInfoDecoder;
  private final UintOptRleDecoder typeRefDecoder;
  private final UintOptRleDecoder lenDecoder;
  private final V2Layout layout;

  public UpdateDecoderV2(byte[] update) {
    Lib0Decoder head = new Lib0Decoder(update);
    long featureFlag = head.readVarUint();
    if (featureFlag != 0) {
      // Yjs ignores the flag; a non-zero value can only mean a format we do not know.
      throw new MalformedDataException("unknown update v2 feature flag " + featureFlag, 0);
    }
    Lib0Decoder keyClocks = column(head, update);
    Lib0Decoder clients = column(head, update);
    Lib0Decoder leftClocks = column(head, update);
    Lib0Decoder rightClocks = column(head, update);
    Lib0Decoder infos = column(head, update);
    Lib0Decoder strings = column(head, update);
    Lib0Decoder parentInfos = column(head, update);
    Lib0Decoder typeRefs = column(head, update);
    Lib0Decoder lens = column(head, update);
    int restStart = head.position();
    rest = Lib0Decoder.slice(update, restStart, update.length - restStart);
    int stringColumn = strings.remaining();
    keyClockDecoder = new IntDiffOptRleDecoder(keyClocks);
    clientDecoder = new UintOptRleDecoder(clients);
    leftClockDecoder = new IntDiffOptRleDecoder(leftClocks);
    rightClockDecoder = new IntDiffOptRleDecoder(rightClocks);
    infoDecoder = new RleDecoder(infos);
    stringDecoder = new StringDecoder(strings); // reads the concatenated strings
    parentInfoDecoder = new RleDecoder(parentInfos);
    typeRefDecoder = new UintOptRleDecoder(typeRefs);
    lenDecoder = new UintOptRleDecoder(lens);
    ds = new DsDecoderV2(rest);
    layout =
        new V2Layout(
            keyClocks.remaining(),
            clients.remaining(),
            leftClocks.remaining(),
            rightClocks.remaining(),
            infos.remaining(),
            stringColumn - strings.remaining(),
            strings.remaining(),
            parentInfos.remaining(),
            typeRefs.remaining(),
            lens.remaining(),
            rest.remaining());
  }

  /** The sizes of this update's columns (see {@link V2Layout}). */
  public V2Layout layout() {
    return layout;
  }

  private static Lib0Decoder column(Lib0Decoder head, byte[] update) {
    int len = head.readVarUintAsInt();
    if (len > head.remaining()) {
      throw head.error("column length " + len + " exceeds the update");
    }
    int start = head.skip(len);
    return Lib0Decoder.slice(update, start, len);
  }

  @Override
  public Lib0Decoder rest() {
    return rest;
  }

  @Override
  public MalformedDataException error(String message) {
    return rest.error(message);
  }

  /** The delta decoder already keeps values within the safe range; a clock must not be negative. */
  private static long clock(IntDiffOptRleDecoder d) {
    long v = d.read();
    if (v < 0) {
      throw d.source().error("negative clock " + v);
    }
    return v;
  }

  @Override
  public long readLeftClock() {
    return clock(leftClockDecoder);
  }

  @Override
  public long readRightClock() {
    return clock(rightClockDecoder);
  }

  @Override
  public long readClient() {
    return clientDecoder.read();
  }

  @Override
  public int readInfo() {
    return infoDecoder.read();
  }

  @Override
  public String readString() {
    return stringDecoder.read();
  }

  @Override
  public boolean lastStringAscii() {
    return stringDecoder.ascii();
  }

  @Override
  public boolean readParentInfo() {
    int v = parentInfoDecoder.read();
    if (v > 1) {
      throw parentInfoDecoder.source().error("parent info must be 0 or 1, got " + v);
    }
    return v == 1;
  }

  @Override
  public int readTypeRef() {
    long v = typeRefDecoder.read();
    if (v > Integer.MAX_VALUE) {
      throw typeRefDecoder.source().error("type ref out of range");
    }
    return (int) v;
  }

  @Override
  public long readLen() {
    return lenDecoder.read();
  }

  @Override
  public Object readAny() {
    return rest.readAny();
  }

  @Override
  public byte[] readBuf() {
    return rest.readVarUint8Array();
  }

  @Override
  public Object readJSON() {
    return rest.readAny();
  }

  @Override
  public String readKey() {
    long keyClock = keyClockDecoder.read();
    if (keyClock < 0) {
      throw keyClockDecoder.source().error("negative key reference");
    }
    if (keyClock < keys.size()) {
      return keys.get((int) keyClock);
    }
    String key = stringDecoder.read();
    keys.add(key);
    return key;
  }

  @Override
  public long readSkipLen() {
    return rest.readVarUint();
  }

  @Override
  public void resetDsCurVal() {
    ds.resetDsCurVal();
  }

  @Override
  public long readDsClock() {
    return ds.readDsClock();
  }

  @Override
  public long readDsLen() {
    return ds.readDsLen();
  }

  /** All columns and the rest stream must be used up exactly. */
  @Override
  public void finish() {
    if (rest.hasContent()) {
      throw rest.error(rest.remaining() + " trailing bytes after the update");
    }
    if (!keyClockDecoder.exhausted()
        || !clientDecoder.exhausted()
        || !leftClockDecoder.exhausted()
        || !rightClockDecoder.exhausted()
        || !infoDecoder.exhausted()
        || !stringDecoder.exhausted()
        || !parentInfoDecoder.exhausted()
        || !typeRefDecoder.exhausted()
        || !lenDecoder.exhausted()) {
      throw rest.error("update v2 has unused column data");
    }
  }
}
