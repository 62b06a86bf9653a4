package dev.tandem.crdt.struct;

import dev.tandem.crdt.MalformedDataException;

/** Counterpart of {@link StructEncoder}. Every method throws only {@link MalformedDataException}. */
public interface StructDecoder {
  ID readLeftID();

  ID readRightID();

  long readClient();

  int readInfo();

  String readString();

  boolean readParentInfo();

  int readTypeRef();

  long readLen();

  Object readAny();

  byte[] readBuf();

  Object readJSON();

  String readKey();

  /** A Skip's length (inline var-uint in both formats). */
  long readSkipLen();

  /** An error located at the decoder's current position in the main (rest) buffer. */
  MalformedDataException error(String message);
}
