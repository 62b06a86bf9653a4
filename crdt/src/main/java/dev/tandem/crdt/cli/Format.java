package dev.tandem.crdt.cli;

import dev.tandem.crdt.MalformedDataException;
import dev.tandem.crdt.update.DecodedUpdate;
import dev.tandem.crdt.update.Updates;

/** Yjs update format v1 or v2, and the auto-detection of a file's format. */
enum Format {
  V1,
  V2;

  static Format parse(String option, String value) {
    if (value == null) {
      throw CliException.usage(option + " needs a value: v1 or v2");
    }
    return switch (value) {
      case "v1", "V1", "1" -> V1;
      case "v2", "V2", "2" -> V2;
      default -> throw CliException.usage(option + " must be v1 or v2, not '" + value + "'");
    };
  }

  String label() {
    return this == V1 ? "v1" : "v2";
  }

  DecodedUpdate decode(byte[] bytes) {
    return this == V1 ? Updates.decodeUpdate(bytes) : Updates.decodeUpdateV2(bytes);
  }

  /** An update known to be valid in {@code from} format, in this format. */
  byte[] convertFrom(Format from, byte[] bytes) {
    if (from == this) {
      return bytes;
    }
    return this == V2 ? Updates.convertUpdateFormatV1ToV2(bytes) : Updates.convertUpdateFormatV2ToV1(bytes);
  }

  /** A decoded update together with the format it was read in. */
  record Read(Format format, DecodedUpdate update) {}

  /**
   * Decodes {@code bytes} in the given format, or when {@code forced} is null in whichever
   * format decodes them completely (the decoders are strict: trailing bytes, unused v2 column
   * data and a non-zero v2 feature flag are rejected, so a real update decodes in one format
   * only; a v2 update always starts with byte 0, a v1 update only when it holds no structs).
   * When both decode, v1 wins (Yjs's default format).
   *
   * @throws CliException (bad data) naming {@code name} when the bytes are no update
   */
  static Read decode(String name, byte[] bytes, Format forced) {
    if (forced != null) {
      try {
        return new Read(forced, forced.decode(bytes));
      } catch (MalformedDataException e) {
        throw CliException.data(name + ": not a valid " + forced.label() + " update: " + e.getMessage());
      }
    }
    MalformedDataException v1Error;
    try {
      return new Read(V1, V1.decode(bytes));
    } catch (MalformedDataException e) {
      v1Error = e;
    }
    try {
      return new Read(V2, V2.decode(bytes));
    } catch (MalformedDataException e) {
      boolean looksV2 = bytes.length > 0 && bytes[0] == 0;
      throw CliException.data(
          name + ": not a Yjs update (neither v1 nor v2): "
              + (looksV2 ? "as v2: " + e.getMessage() : "as v1: " + v1Error.getMessage()));
    }
  }
}
