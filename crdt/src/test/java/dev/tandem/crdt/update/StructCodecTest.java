package dev.tandem.crdt.update;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.crdt.MalformedDataException;
import dev.tandem.crdt.struct.ContentAny;
import dev.tandem.crdt.struct.ContentFormat;
import dev.tandem.crdt.struct.ContentString;
import dev.tandem.crdt.struct.ID;
import dev.tandem.crdt.struct.Item;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Hand-made updates (bytes from yjs 13.6.33, client 5): map.set('k', 1); map.set('k', 'x');
 * text.insert(0, 'ab😀', {bold: true}); text.delete(1, 1).
 */
class StructCodecTest {
  static final String SET1_V1 = "010105002801016d016b017d0100";
  static final String SET1_V2 = "000001050000012805026d6b410001010001010101007d0100";
  static final String SET2_V1 = "01010501a80500017701780105010001";
  static final String SET2_V2 = "000002450001000001a80100000001010101017701780105010000";
  static final String TEXT_V1 =
      "010305020601017404626f6c640474727565840502066162f09f988086050604626f6c64046e756c6c00";
  static final String TEXT_V2 =
      "0002000202450102040800050600840086130f74626f6c646162f09f9880626f6c6401440101010000010302787e00";
  static final String DEL_V1 = "000105010401";
  static final String DEL_V2 = "0000000000000100000000000105010400";

  static byte[] hex(String s) {
    return HexFormat.of().parseHex(s);
  }

  @Test
  void decodesItemFields() {
    DecodedUpdate u = Updates.decodeUpdate(hex(SET1_V1));
    assertThat(u.clients()).hasSize(1);
    Item it = (Item) u.clients().get(0).structs().get(0);
    assertThat(it.id()).isEqualTo(new ID(5, 0));
    assertThat(it.parentKey()).isEqualTo("m");
    assertThat(it.parentSub()).isEqualTo("k");
    assertThat(((ContentAny) it.content()).values()).containsExactly(1.0);

    Item over = (Item) Updates.decodeUpdate(hex(SET2_V1)).clients().get(0).structs().get(0);
    assertThat(over.origin()).isEqualTo(new ID(5, 0));
    assertThat(over.parentSub()).isNull();
    assertThat(over.hasUnwrittenParentSub()).isTrue();

    DecodedUpdate text = Updates.decodeUpdateV2(hex(TEXT_V2));
    List<?> structs = text.clients().get(0).structs();
    assertThat(structs).hasSize(3);
    assertThat(((ContentFormat) ((Item) structs.get(0)).content()).value()).isEqualTo(true);
    assertThat(((ContentString) ((Item) structs.get(1)).content()).string()).isEqualTo("ab😀");
    assertThat(((Item) structs.get(1)).length()).isEqualTo(4);

    DecodedUpdate del = Updates.decodeUpdate(hex(DEL_V1));
    assertThat(del.clients()).isEmpty();
    assertThat(del.deleteSet().isDeleted(new ID(5, 4))).isTrue();
    assertThat(del.deleteSet().isDeleted(new ID(5, 5))).isFalse();
  }

  @Test
  void roundTripsAndConvertsByteIdentically() {
    String[][] pairs = {{SET1_V1, SET1_V2}, {SET2_V1, SET2_V2}, {TEXT_V1, TEXT_V2}, {DEL_V1, DEL_V2}};
    for (String[] p : pairs) {
      byte[] v1 = hex(p[0]);
      byte[] v2 = hex(p[1]);
      assertThat(Updates.encodeUpdate(Updates.decodeUpdate(v1))).isEqualTo(v1);
      assertThat(Updates.encodeUpdateV2(Updates.decodeUpdateV2(v2))).isEqualTo(v2);
      assertThat(Updates.encodeUpdateV2(Updates.decodeUpdate(v1))).isEqualTo(v2);
      assertThat(Updates.encodeUpdate(Updates.decodeUpdateV2(v2))).isEqualTo(v1);
    }
  }

  @Test
  void yjsOperationsForgetTheUnwrittenParentSubBit() {
    // Yjs's convert re-encodes the lazily read item without its key: info 0xa8 becomes 0x88
    byte[] converted = Updates.convertUpdateFormatV2ToV1(hex(SET2_V2));
    assertThat(HexFormat.of().formatHex(converted)).isEqualTo("01010501880500017701780105010001");
  }

  @Test
  void rejectsTrailingBytesAndBadInfo() {
    assertThatThrownBy(() -> Updates.decodeUpdate(hex(SET1_V1 + "00")))
        .isInstanceOf(MalformedDataException.class)
        .hasMessageContaining("trailing");
    // content ref 11 does not exist
    assertThatThrownBy(() -> Updates.decodeUpdate(hex("010105002b01016d016b017d0100")))
        .isInstanceOf(MalformedDataException.class)
        .satisfies(e -> assertThat(((MalformedDataException) e).offset()).isEqualTo(4));
    assertThatThrownBy(() -> Updates.decodeUpdate(hex("0101050028")))
        .isInstanceOf(MalformedDataException.class);
  }

  @Test
  void stateVectorsAreWrittenDescending() {
    byte[] sv = Updates.encodeStateVector(java.util.Map.of(1L, 2L, 300L, 4L));
    assertThat(HexFormat.of().formatHex(sv)).isEqualTo("02ac02040102");
    assertThat(Updates.decodeStateVector(sv)).containsEntry(300L, 4L).containsEntry(1L, 2L);
  }
}
