package dev.tandem.crdt.protocol;

import java.util.Arrays;
import java.util.Objects;

/**
 * A y-protocols sync message ({@code y-protocols/sync.js}): sub-type var-uint followed by one
 * var-uint8-array payload. Payloads are kept opaque; decoding the Yjs update or state vector is
 * the CRDT codec's job. Use {@link SyncCodec} to read and write them.
 */
public sealed interface SyncMessage {
  int STEP1 = 0;
  int STEP2 = 1;
  int UPDATE = 2;

  /** The y-protocols sub-type number. */
  int type();

  /** The state vector (step 1) or update (step 2, update). Do not mutate. */
  byte[] payload();

  static SyncMessage of(int type, byte[] payload) {
    return switch (type) {
      case STEP1 -> new Step1(payload);
      case STEP2 -> new Step2(payload);
      case UPDATE -> new Update(payload);
      default -> throw new IllegalArgumentException("unknown sync message type " + type);
    };
  }

  /** Sync step 1: the sender's encoded state vector; the receiver answers with step 2. */
  record Step1(byte[] stateVector) implements SyncMessage {
    public Step1 {
      Objects.requireNonNull(stateVector, "stateVector");
    }

    @Override
    public int type() {
      return STEP1;
    }

    @Override
    public byte[] payload() {
      return stateVector;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Step1 s && Arrays.equals(stateVector, s.stateVector);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(stateVector);
    }

    @Override
    public String toString() {
      return "SyncStep1[" + stateVector.length + " bytes]";
    }
  }

  /** Sync step 2: an update holding what the step-1 sender is missing. */
  record Step2(byte[] update) implements SyncMessage {
    public Step2 {
      Objects.requireNonNull(update, "update");
    }

    @Override
    public int type() {
      return STEP2;
    }

    @Override
    public byte[] payload() {
      return update;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Step2 s && Arrays.equals(update, s.update);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(update);
    }

    @Override
    public String toString() {
      return "SyncStep2[" + update.length + " bytes]";
    }
  }

  /** An incremental document update. */
  record Update(byte[] update) implements SyncMessage {
    public Update {
      Objects.requireNonNull(update, "update");
    }

    @Override
    public int type() {
      return UPDATE;
    }

    @Override
    public byte[] payload() {
      return update;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Update s && Arrays.equals(update, s.update);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(update);
    }

    @Override
    public String toString() {
      return "SyncUpdate[" + update.length + " bytes]";
    }
  }
}
