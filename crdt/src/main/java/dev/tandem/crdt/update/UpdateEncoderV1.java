package dev.tandem.crdt.update;

import dev.tandem.crdt.json.Json;
import dev.tandem.crdt.lib0.Lib0Encoder;

/** Update format v1: every field inline, var-uints and var-strings; JSON values as text. */
public final class UpdateEncoderV1 implements UpdateEncoder {
  private Lib0Encoder rest;

  public UpdateEncoderV1() {
    this(0);
  }

  /** @param sizeHint expected output size in bytes (0: unknown) */
  public UpdateEncoderV1(int sizeHint) {
    rest = new Lib0Encoder(sizeHint > 0 ? sizeHint : 256);
  }

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
    rest.writeVarUint(client);
    rest.writeVarUint(clock);
  }

  @Override
  public void writeRightID(long client, long clock) {
    writeLeftID(client, clock);
  }

  @Override
  public void writeClient(long client) {
    rest.writeVarUint(client);
  }

  @Override
  public void writeInfo(int info) {
    rest.writeUint8(info);
  }

  @Override
  public void writeString(String s) {
    rest.writeVarString(s);
  }

  @Override
  public void writeAsciiString(String s) {
    rest.writeVarUint(s.length());
    rest.writeAscii(s);
  }

  @Override
  public void writeParentInfo(boolean isRootKey) {
    rest.writeVarUint(isRootKey ? 1 : 0);
  }

  @Override
  public void writeTypeRef(int typeRef) {
    rest.writeVarUint(typeRef);
  }

  @Override
  public void writeLen(long len) {
    rest.writeVarUint(len);
  }

  @Override
  public void writeAny(Object any) {
    rest.writeAny(any);
  }

  @Override
  public void writeBuf(byte[] buf) {
    rest.writeVarUint8Array(buf);
  }

  /** JSON.stringify; a top-level {@code undefined} has no JSON text (Yjs throws there too). */
  @Override
  public void writeJSON(Object value) {
    String text = Json.stringify(value);
    if (text == null) {
      throw new IllegalArgumentException("undefined has no JSON representation");
    }
    rest.writeVarString(text);
  }

  @Override
  public void writeKey(String key) {
    rest.writeVarString(key);
  }

  @Override
  public void writeSkipLen(long len) {
    rest.writeVarUint(len);
  }

  @Override
  public void resetDsCurVal() {}

  @Override
  public void writeDsClock(long clock) {
    rest.writeVarUint(clock);
  }

  @Override
  public void writeDsLen(long len) {
    rest.writeVarUint(len);
  }

  @Override
  public byte[] toByteArray() {
    return rest.toByteArray();
  }
}
