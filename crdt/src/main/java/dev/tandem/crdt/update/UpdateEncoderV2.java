package dev.tandem.crdt.update;

import dev.tandem.crdt.lib0.IntDiffOptRleEncoder;
import dev.tandem.crdt.lib0.Lib0Encoder;
import dev.tandem.crdt.lib0.RleEncoder;
import dev.tandem.crdt.lib0.StringEncoder;
import dev.tandem.crdt.lib0.UintOptRleEncoder;

/**
 * Update format v2: fields are spread over nine run-length/delta encoded columns that precede
 * the rest stream. Delete-set clocks are delta encoded and lengths written minus one.
 */
public final class UpdateEncoderV2 implements UpdateEncoder {
  private Lib0Encoder rest;
  private final DsEncoderV2 ds = new DsEncoderV2(this);
  private long keyClock;
  private final IntDiffOptRleEncoder keyClockEncoder;
  private final UintOptRleEncoder clientEncoder;
  private final IntDiffOptRleEncoder leftClockEncoder;
  private final IntDiffOptRleEncoder rightClockEncoder;
  private final RleEncoder infoEncoder;
  private final StringEncoder stringEncoder;
  private final RleEncoder parentInfoEncoder;
  private final UintOptRleEncoder typeRefEncoder;
  private final UintOptRleEncoder lenEncoder;

  public UpdateEncoderV2() {
    this(0);
  }

  /** @param sizeHint expected output size in bytes (0: unknown) */
  public UpdateEncoderV2(int sizeHint) {
    rest = new Lib0Encoder(Math.max(256, sizeHint / 16));
    stringEncoder = new StringEncoder(Math.max(64, sizeHint));
    // the busy columns, sized so that round-tripping a typical document rarely grows them
    int column = Math.max(32, sizeHint / 8);
    keyClockEncoder = new IntDiffOptRleEncoder();
    clientEncoder = new UintOptRleEncoder(32);
    leftClockEncoder = new IntDiffOptRleEncoder(column);
    rightClockEncoder = new IntDiffOptRleEncoder(column);
    infoEncoder = new RleEncoder(column);
    parentInfoEncoder = new RleEncoder();
    typeRefEncoder = new UintOptRleEncoder();
    lenEncoder = new UintOptRleEncoder(column / 2);
  }

  /**
   * Sized for re-encoding an update of the given layout: each part gets its exact size plus
   * a var-int's worth of slack, so nothing grows and little memory is cleared for nothing.
   */
  public UpdateEncoderV2(V2Layout sizes) {
    rest = new Lib0Encoder(sizes.rest() + SLACK);
    stringEncoder = new StringEncoder(sizes.stringBytes() + SLACK, sizes.stringLengths() + SLACK);
    keyClockEncoder = new IntDiffOptRleEncoder(sizes.keyClocks() + SLACK);
    clientEncoder = new UintOptRleEncoder(sizes.clients() + SLACK);
    leftClockEncoder = new IntDiffOptRleEncoder(sizes.leftClocks() + SLACK);
    rightClockEncoder = new IntDiffOptRleEncoder(sizes.rightClocks() + SLACK);
    infoEncoder = new RleEncoder(sizes.infos() + SLACK);
    parentInfoEncoder = new RleEncoder(sizes.parentInfos() + SLACK);
    typeRefEncoder = new UintOptRleEncoder(sizes.typeRefs() + SLACK);
    lenEncoder = new UintOptRleEncoder(sizes.lens() + SLACK);
  }

  /** Room for the largest single write (a 53-bit var-int), which checks for 9 free bytes. */
  private static final int SLACK = 16;

  @Override
  public Lib0Encoder rest() {
    return rest;
  }

  @Override
  public Lib0Encoder swapRest(Lib0Encoder fresh) {
    Lib0Encoder old = rest;
    rest = fresh;
    return old;
  }

  @Override
  public void writeLeftID(long client, long clock) {
    clientEncoder.write(client);
    leftClockEncoder.write(clock);
  }

  @Override
  public void writeRightID(long client, long clock) {
    clientEncoder.write(client);
    rightClockEncoder.write(clock);
  }

  @Override
  public void writeClient(long client) {
    clientEncoder.write(client);
  }

  @Override
  public void writeInfo(int info) {
    infoEncoder.write(info);
  }

  @Override
  public void writeString(String s) {
    stringEncoder.write(s);
  }

  @Override
  public void writeAsciiString(String s) {
    stringEncoder.writeAscii(s);
  }

  @Override
  public void writeParentInfo(boolean isRootKey) {
    parentInfoEncoder.write(isRootKey ? 1 : 0);
  }

  @Override
  public void writeTypeRef(int typeRef) {
    typeRefEncoder.write(typeRef);
  }

  @Override
  public void writeLen(long len) {
    lenEncoder.write(len);
  }

  @Override
  public void writeAny(Object any) {
    rest.writeAny(any);
  }

  @Override
  public void writeBuf(byte[] buf) {
    rest.writeVarUint8Array(buf);
  }

  @Override
  public void writeJSON(Object value) {
    rest.writeAny(value);
  }

  /**
   * Yjs 13.6 never reuses a key (its key cache is disabled), so every key gets the next key
   * clock and its text in the string column. Decoders still honour back-references.
   */
  @Override
  public void writeKey(String key) {
    keyClockEncoder.write(keyClock++);
    stringEncoder.write(key);
  }

  @Override
  public void writeSkipLen(long len) {
    rest.writeVarUint(len);
  }

  @Override
  public void resetDsCurVal() {
    ds.resetDsCurVal();
  }

  @Override
  public void writeDsClock(long clock) {
    ds.writeDsClock(clock);
  }

  @Override
  public void writeDsLen(long len) {
    ds.writeDsLen(len);
  }

  @Override
  public byte[] toByteArray() {
    // the columns are copied straight from their encoders into the output
    Lib0Encoder keyClocks = keyClockEncoder.finish();
    Lib0Encoder clients = clientEncoder.finish();
    Lib0Encoder leftClocks = leftClockEncoder.finish();
    Lib0Encoder rightClocks = rightClockEncoder.finish();
    Lib0Encoder infos = infoEncoder.finish();
    int strings = stringEncoder.finishedLength();
    Lib0Encoder parentInfos = parentInfoEncoder.finish();
    Lib0Encoder typeRefs = typeRefEncoder.finish();
    Lib0Encoder lens = lenEncoder.finish();
    Lib0Encoder[] before = {keyClocks, clients, leftClocks, rightClocks, infos};
    Lib0Encoder[] after = {parentInfos, typeRefs, lens};
    int size = 1 + rest.length() + Lib0Encoder.varUintSize(strings) + strings;
    for (Lib0Encoder c : before) {
      size += Lib0Encoder.varUintSize(c.length()) + c.length();
    }
    for (Lib0Encoder c : after) {
      size += Lib0Encoder.varUintSize(c.length()) + c.length();
    }
    Lib0Encoder out = new Lib0Encoder(size);
    out.writeVarUint(0); // feature flag, always 0 in Yjs 13
    for (Lib0Encoder c : before) {
      out.writeVarEncoded(c);
    }
    out.writeVarUint(strings);
    stringEncoder.writeFinishedTo(out);
    for (Lib0Encoder c : after) {
      out.writeVarEncoded(c);
    }
    out.writeEncoded(rest); // the rest is appended without a length prefix
    return out.toByteArray();
  }


}
