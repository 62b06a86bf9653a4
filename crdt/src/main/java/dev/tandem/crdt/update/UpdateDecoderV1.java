package dev.tandem.crdt.update;

import dev.tandem.crdt.MalformedDataException;
import dev.tandem.crdt.json.Json;
import dev.tandem.crdt.lib0.Lib0Decoder;

/** Reads update format v1 (see {@link UpdateEncoderV1}). */
public final class UpdateDecoderV1 implements UpdateDecoder {
  private final Lib0Decoder rest;

  public UpdateDecoderV1(byte[] update) {
    this.rest = new Lib0Decoder(update);
  }

  @Override
  public Lib0Decoder rest() {
    return rest;
  }

  @Override
  public MalformedDataException error(String message) {
    return rest.error(message);
  }

  @Override
  public long readLeftClock() {
    return rest.readVarUint();
  }

  @Override
  public long readRightClock() {
    return rest.readVarUint();
  }

  @Override
  public long readClient() {
    return rest.readVarUint();
  }

  @Override
  public int readInfo() {
    return rest.readUint8();
  }

  @Override
  public String readString() {
    return rest.readVarString();
  }

  @Override
  public boolean lastStringAscii() {
    return rest.lastStringAscii();
  }

  @Override
  public boolean readParentInfo() {
    long v = rest.readVarUint();
    if (v > 1) {
      throw rest.error("parent info must be 0 or 1, got " + v);
    }
    return v == 1;
  }

  @Override
  public int readTypeRef() {
    return rest.readVarUintAsInt();
  }

  @Override
  public long readLen() {
    return rest.readVarUint();
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
    int at = rest.errorOffset();
    String text = rest.readVarString();
    try {
      return Json.parse(text);
    } catch (MalformedDataException e) {
      throw new MalformedDataException("invalid JSON value: " + e.getMessage(), at, e);
    }
  }

  @Override
  public String readKey() {
    return rest.readVarString();
  }

  @Override
  public long readSkipLen() {
    return rest.readVarUint();
  }

  @Override
  public void resetDsCurVal() {}

  @Override
  public long readDsClock() {
    return rest.readVarUint();
  }

  @Override
  public long readDsLen() {
    return rest.readVarUint();
  }

  @Override
  public void finish() {
    if (rest.hasContent()) {
      throw rest.error(rest.remaining() + " trailing bytes after the update");
    }
  }
}
