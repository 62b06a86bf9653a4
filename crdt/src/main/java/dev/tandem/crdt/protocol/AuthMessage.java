package dev.tandem.crdt.protocol;

import java.util.Objects;

/**
 * A y-protocols auth message ({@code y-protocols/auth.js}). That module defines a single
 * sub-type: permission denied (0) with a reason string. See {@link AuthCodec}.
 */
public sealed interface AuthMessage {
  int PERMISSION_DENIED = 0;

  record PermissionDenied(String reason) implements AuthMessage {
    public PermissionDenied {
      Objects.requireNonNull(reason, "reason");
    }
  }
}
