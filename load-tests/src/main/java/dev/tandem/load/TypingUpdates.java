package dev.tandem.load;

import dev.tandem.crdt.struct.AbstractStruct;
import dev.tandem.crdt.struct.ContentString;
import dev.tandem.crdt.struct.ID;
import dev.tandem.crdt.struct.Item;
import dev.tandem.crdt.update.ClientStructs;
import dev.tandem.crdt.update.DecodedUpdate;
import dev.tandem.crdt.update.DeleteSet;
import dev.tandem.crdt.update.Updates;
import java.util.List;

/**
 * Real Yjs v1 updates of one typist: each inserts one character into the root {@code Y.Text}
 * {@value #TEXT} right after the typist's own previous character (the first one at the start of
 * the text), exactly what {@code ytext.insert(pos, ch)} after one's own cursor produces in Yjs.
 * The update's struct id {@code (client, clock)} identifies it, so receivers can match deliveries.
 */
public final class TypingUpdates {
  /** Name of the root Y.Text every simulated client types into. */
  public static final String TEXT = "t";
  private static final String SAMPLE = "the quick brown fox jumps over the lazy dog. ";

  private TypingUpdates() {}

  /** The update that inserts the {@code clock}-th character typed by {@code client}. */
  public static byte[] typeChar(long client, long clock) {
    String ch = String.valueOf(SAMPLE.charAt((int) ((clock + client) % SAMPLE.length())));
    Item item = clock == 0
        ? new Item(new ID(client, 0), null, null, TEXT, null, null, false, new ContentString(ch))
        : new Item(new ID(client, clock), new ID(client, clock - 1), null, null, null, null, false, new ContentString(ch));
    return Updates.encodeUpdate(new DecodedUpdate(
        List.of(new ClientStructs(client, clock, List.<AbstractStruct>of(item))), new DeleteSet()));
  }

  /** Calls {@code sink} for every inserted unit {@code (client, clock)} an update carries. */
  public static void forEachInsert(byte[] update, InsertSink sink) {
    DecodedUpdate u = Updates.decodeUpdate(update);
    for (ClientStructs cs : u.clients()) {
      for (AbstractStruct s : cs.structs()) {
        if (s instanceof Item item) {
          long start = item.id().clock();
          long end = start + item.length();
          for (long c = start; c < end; c++) {
            sink.accept(cs.client(), c);
          }
        }
      }
    }
  }

  @FunctionalInterface
  public interface InsertSink {
    void accept(long client, long clock);
  }
}
