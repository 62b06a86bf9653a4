package dev.tandem.crdt.protocol.hocuspocus;

import dev.tandem.crdt.protocol.AwarenessUpdate;
import dev.tandem.crdt.protocol.SyncMessage;
import java.util.Objects;

/** The part of a Hocuspocus document frame after the document name: type var-uint and body. */
public sealed interface HocuspocusMessage {
  int type();

  /** Sync (0): a y-protocols sync message. */
  record Sync(SyncMessage message) implements HocuspocusMessage {
    public Sync {
      Objects.requireNonNull(message, "message");
    }

    @Override
    public int type() {
      return HocuspocusMessageType.SYNC;
    }
  }

  /**
   * SyncReply (4): a sync message sent as the answer to one; a receiving server handles it
   * like Sync but does not answer a step 1 with its own step 1. Provider 4.8.0 does not
   * understand it (it logs "unknown type" and drops it), so never send it to a provider.
   */
  record SyncReply(SyncMessage message) implements HocuspocusMessage {
    public SyncReply {
      Objects.requireNonNull(message, "message");
    }

    @Override
    public int type() {
      return HocuspocusMessageType.SYNC_REPLY;
    }
  }

  /** Awareness (1): var-uint8-array holding an awareness update. */
  record Awareness(AwarenessUpdate update) implements HocuspocusMessage {
    public Awareness {
      Objects.requireNonNull(update, "update");
    }

    @Override
    public int type() {
      return HocuspocusMessageType.AWARENESS;
    }
  }

  /** Auth (2). */
  record Auth(HocuspocusAuth auth) implements HocuspocusMessage {
    public Auth {
      Objects.requireNonNull(auth, "auth");
    }

    @Override
    public int type() {
      return HocuspocusMessageType.AUTH;
    }
  }

  /** QueryAwareness (3), no body: the receiver answers with all awareness states it has. */
  record QueryAwareness() implements HocuspocusMessage {
    @Override
    public int type() {
      return HocuspocusMessageType.QUERY_AWARENESS;
    }
  }

  /** Stateless (5): an application string, both directions. */
  record Stateless(String payload) implements HocuspocusMessage {
    public Stateless {
      Objects.requireNonNull(payload, "payload");
    }

    @Override
    public int type() {
      return HocuspocusMessageType.STATELESS;
    }
  }

  /** BroadcastStateless (6), client to server: relay the string to every connection. */
  record BroadcastStateless(String payload) implements HocuspocusMessage {
    public BroadcastStateless {
      Objects.requireNonNull(payload, "payload");
    }

    @Override
    public int type() {
      return HocuspocusMessageType.BROADCAST_STATELESS;
    }
  }

  /** CLOSE (7) from a provider, no body: it detaches from the document. */
  record CloseRequest() implements HocuspocusMessage {
    @Override
    public int type() {
      return HocuspocusMessageType.CLOSE;
    }
  }

  /**
   * CLOSE (7) from the server: var-string reason only. No code travels; the provider reports
   * code 1000 with this reason.
   */
  record Close(String reason) implements HocuspocusMessage {
    public Close {
      Objects.requireNonNull(reason, "reason");
    }

    @Override
    public int type() {
      return HocuspocusMessageType.CLOSE;
    }
  }

  /**
   * SyncStatus (8), server to client: var-uint 1 when a client's update (or step 2) was
   * applied, 0 when it was refused (read-only connection).
   */
  record SyncStatus(boolean applied) implements HocuspocusMessage {
    @Override
    public int type() {
      return HocuspocusMessageType.SYNC_STATUS;
    }
  }
}
