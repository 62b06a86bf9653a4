package dev.tandem.server.testing;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * A deterministic stand-in for Yjs mergeUpdates: a merged blob is {@code 0x00} followed by
 * {@code [int32 length][bytes]} records, one per original update (original updates must not start
 * with 0x00). Merging flattens nested merged blobs, so {@link #flatten} of any snapshot gives back
 * exactly the original updates, in order, each once.
 */
public final class TestMerge {
  private TestMerge() {}

  public static byte[] merge(List<byte[]> inputs) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0);
    for (byte[] in : inputs) {
      for (byte[] u : flatten(in)) {
        out.writeBytes(ByteBuffer.allocate(4).putInt(u.length).array());
        out.writeBytes(u);
      }
    }
    return out.toByteArray();
  }

  public static List<byte[]> flatten(byte[] blob) {
    List<byte[]> out = new ArrayList<>();
    if (blob.length == 0 || blob[0] != 0) {
      out.add(blob);
      return out;
    }
    ByteBuffer b = ByteBuffer.wrap(blob, 1, blob.length - 1);
    while (b.hasRemaining()) {
      byte[] u = new byte[b.getInt()];
      b.get(u);
      out.add(u);
    }
    return out;
  }
}
