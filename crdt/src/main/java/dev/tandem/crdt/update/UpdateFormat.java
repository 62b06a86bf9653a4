package dev.tandem.crdt.update;

/** The two Yjs update encodings. */
public enum UpdateFormat {
  V1,
  V2;

  UpdateDecoder decoder(byte[] update) {
    return this == V1 ? new UpdateDecoderV1(update) : new UpdateDecoderV2(update);
  }

  UpdateEncoder encoder() {
    return encoder(0);
  }

  /** @param sizeHint expected output size in bytes (0: unknown) */
  UpdateEncoder encoder(int sizeHint) {
    return this == V1 ? new UpdateEncoderV1(sizeHint) : new UpdateEncoderV2(sizeHint);
  }
}
