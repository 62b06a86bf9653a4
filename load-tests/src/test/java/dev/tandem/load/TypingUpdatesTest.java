package dev.tandem.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.crdt.struct.ContentString;
import dev.tandem.crdt.struct.ID;
import dev.tandem.crdt.struct.Item;
import dev.tandem.crdt.update.DecodedUpdate;
import dev.tandem.crdt.update.Updates;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TypingUpdatesTest {
  @Test
  void firstCharacterIsInsertedIntoTheRootTextAndAddressedByClientAndClock() {
    byte[] u = TypingUpdates.typeChar(123456789L, 0);
    // Yjs v1: 1 client, 1 struct, client, clock 0, info 4 (ContentString, no origins),
    // parent info 1 + key "t", then the one-character string
    assertThat(u).startsWith(1, 1, 0x95, 0x9a, 0xef, 0x3a, 0, 4, 1, 1, 't', 1);
    Item item = (Item) Updates.decodeUpdate(u).clients().get(0).structs().get(0);
    assertThat(item.id()).isEqualTo(new ID(123456789L, 0));
    assertThat(item.parentKey()).isEqualTo(TypingUpdates.TEXT);
    assertThat(item.origin()).isNull();
    assertThat(((ContentString) item.content()).string()).hasSize(1);
  }

  @Test
  void laterCharactersFollowTheTypistsPreviousOne() {
    Item item = (Item) Updates.decodeUpdate(TypingUpdates.typeChar(7, 5)).clients().get(0).structs().get(0);
    assertThat(item.id()).isEqualTo(new ID(7, 5));
    assertThat(item.origin()).isEqualTo(new ID(7, 4));
    assertThat(item.parentKey()).isNull();
  }

  @Test
  void insertsOfAMergedUpdateAreEnumeratedPerCharacter() {
    List<byte[]> updates = new ArrayList<>();
    for (int c = 0; c < 5; c++) {
      updates.add(TypingUpdates.typeChar(7, c));
      updates.add(TypingUpdates.typeChar(9, c));
    }
    byte[] merged = Updates.mergeUpdates(updates);
    DecodedUpdate d = Updates.decodeUpdate(merged);
    assertThat(d.clients()).hasSize(2);
    List<String> seen = new ArrayList<>();
    TypingUpdates.forEachInsert(merged, (client, clock) -> seen.add(client + ":" + clock));
    assertThat(seen).hasSize(10).contains("7:0", "7:4", "9:0", "9:4");
  }
}
