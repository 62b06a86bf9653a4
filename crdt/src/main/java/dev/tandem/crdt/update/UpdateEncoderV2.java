package dev.tandem.crdt.update;

import dev.tandem.crdt.lib0.IntDiffOptRleEncoder;
import dev.tandem.crdt.lib0.Lib0Encoder;
import dev.tandem.crdt.lib0.RleEncoder;
import dev.tandem.crdt.lib0.StringEncoder;
import dev.tandem.crdt.lib0.UintOptRleEncoder;
import dev.tandem.crdt.struct.ID;

/**
 * Update format v2: fields are spread over nine run-length/delta encoded columns that precede
 * the rest stream. Delete-set clocks are delta encoded and lengths written minus one.
 */
public final class UpdateEncoderV2 implements UpdateEncoder {
  private Lib0Encoder rest = new Lib0Encoder(256);
  private final DsEncoderV2 ds = new DsEncoderV2(this::rest);
  private long keyClock;
  private final IntDiffOptRleEncoder keyClockEncoder = new IntDiffOptRleEncoder();
  private final UintOptRleEncoder clientEncoder = new UintOptRleEncoder();
  private final IntDiffOptRleEncoder leftClockEncoder = new IntDiffOptRleEncoder();
  private final IntDiffOptRleEncoder rightClockEncoder = new IntDiffOptRleEncoder();
  private final RleEncoder infoEncoder = new RleEncoder();
  private final StringEncoder stringEncoder = new StringEncoder();
  private final RleEncoder parentInfoEncoder = new RleEncoder();
  private final UintOptRleEncoder typeRefEncoder = new UintOptRleEncoder();
  private final UintOptRleEncoder lenEncoder = new UintOptRleEncoder();

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
  public void writeLeftID(ID id) {
    clientEncoder.write(id.client());
    leftClockEncoder.write(id.clock());
  }

  @Override
  public void writeRightID(ID id) {
    clientEncoder.write(id.client());
    rightClockEncoder.write(id.clock());
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
    Lib0Encoder out = new Lib0Encoder(rest.length() + 64);
    out.writeVarUint(0); // feature flag, always 0 in Yjs 13
    out.writeVarUint8Array(keyClockEncoder.toByteArray());
    out.writeVarUint8Array(clientEncoder.toByteArray());
    out.writeVarUint8Array(leftClockEncoder.toByteArray());
    out.writeVarUint8Array(rightClockEncoder.toByteArray());
    out.writeVarUint8Array(infoEncoder.toByteArray());
    out.writeVarUint8Array(stringEncoder.toByteArray());
    out.writeVarUint8Array(parentInfoEncoder.toByteArray());
    out.writeVarUint8Array(typeRefEncoder.toByteArray());
    out.writeVarUint8Array(lenEncoder.toByteArray());
    byte[] restBytes = rest.toByteArray();
    out.writeBytes(restBytes); // the rest is appended without a length prefix
    return out.toByteArray();
  }
}
