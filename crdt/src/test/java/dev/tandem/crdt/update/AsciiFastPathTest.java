package dev.tandem.crdt.update;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.crdt.lib0.StringEncoder;
import dev.tandem.crdt.struct.AbstractStruct;
import dev.tandem.crdt.struct.ContentString;
import dev.tandem.crdt.struct.ID;
import dev.tandem.crdt.struct.Item;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Strings known to be ASCII are copied instead of UTF-8 encoded. The copy must never be taken
 * for text that is not ASCII, and must produce the bytes the general path produces.
 */
class AsciiFastPathTest {

  @Test
  void asciiWritesMatchTheGeneralPathAroundSplitSurrogatePairs() {
    // a lone high surrogate at the end of one string pairs with a low one starting the next;
    // an ASCII string in between must break that pairing exactly as the general path does
    String[][] sequences = {
      {"ab\uD83D", "cd", "\uDE00x"},
      {"ab\uD83D", "\uDE00x", "cd"},
      {"cd", "\uD83D", "\uDE00", "ef"},
      {"", "a", "\uD83D"},
    };
    for (String[] seq : sequences) {
      StringEncoder general = new StringEncoder();
      StringEncoder fast = new StringEncoder(8, 8);
      for (String s : seq) {
        general.write(s);
        if (s.chars().allMatch(c -> c < 0x80)) {
          fast.writeAscii(s);
        } else {
          fast.write(s);
        }
      }
      assertThat(fast.toByteArray()).as(String.join("|", seq)).isEqualTo(general.toByteArray());
    }
  }

  @Test
  void mergingAsciiWithOtherTextDropsTheFastPath() {
    ContentString ascii = new ContentString("abc", true);
    ascii.mergeWith(new ContentString("é😀"));
    ContentString plain = new ContentString("abcé😀");
    for (UpdateFormat format : UpdateFormat.values()) {
      assertThat(encodeText(ascii, format)).isEqualTo(encodeText(plain, format));
    }
    ContentString both = new ContentString("ab", true);
    both.mergeWith(new ContentString("cd", true));
    assertThat(encodeText(both, UpdateFormat.V2))
        .isEqualTo(encodeText(new ContentString("abcd"), UpdateFormat.V2));
  }

  @Test
  void decodedAsciiTextRoundTripsAfterSplitting() {
    long seed = new Random().nextLong();
    Random rnd = new Random(seed);
    for (int round = 0; round < 200; round++) {
      StringBuilder text = new StringBuilder();
      int len = 2 + rnd.nextInt(40);
      boolean allAscii = rnd.nextBoolean();
      for (int i = 0; i < len; i++) {
        text.append(allAscii || rnd.nextInt(4) > 0 ? (char) (' ' + rnd.nextInt(95)) : 'ß');
      }
      for (UpdateFormat format : UpdateFormat.values()) {
        byte[] update = encodeText(new ContentString(text.toString()), format);
        DecodedUpdate decoded = UpdateCodec.decode(update, format);
        assertThat(UpdateCodec.encode(decoded, format)).as("seed %d", seed).isEqualTo(update);
        // a split item writes its right half from an offset (as diffs do)
        Item item = (Item) decoded.clients().get(0).structs().get(0);
        int offset = 1 + rnd.nextInt(len - 1);
        Item right = item.sliceFrom(offset);
        byte[] expected =
            encode(
                new Item(new ID(1, offset), new ID(1, offset - 1), null, null, null, null, false,
                    new ContentString(text.substring(offset))),
                format);
        assertThat(encode(right, format)).as("seed %d offset %d", seed, offset).isEqualTo(expected);
      }
    }
  }

  private static byte[] encodeText(ContentString content, UpdateFormat format) {
    return encode(new Item(new ID(1, 0), null, null, "t", null, null, false, content), format);
  }

  private static byte[] encode(Item item, UpdateFormat format) {
    List<AbstractStruct> structs = new ArrayList<>(List.of(item));
    DecodedUpdate u =
        new DecodedUpdate(List.of(new ClientStructs(1, item.clock(), structs)), new DeleteSet());
    return UpdateCodec.encode(u, format);
  }
}
