package dev.tandem.crdt.lib0;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.crdt.MalformedDataException;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** Expected bytes were produced by lib0 0.2.120's encoders (see class comments of each). */
class ColumnCodecTest {
  private static byte[] hex(String s) {
    return HexFormat.of().parseHex(s);
  }

  private static Lib0Decoder in(String s) {
    return new Lib0Decoder(hex(s));
  }

  @Test
  void rleEncodesRunsAndLeavesLastRunOpen() {
    RleEncoder e = new RleEncoder();
    for (int v : new int[] {1, 1, 1, 2, 3, 3, 0}) {
      e.write(v);
    }
    assertThat(e.toByteArray()).isEqualTo(hex("01020200030100"));
    RleDecoder d = new RleDecoder(in("01020200030100"));
    for (int v : new int[] {1, 1, 1, 2, 3, 3, 0, 0, 0}) {
      assertThat(d.read()).isEqualTo(v);
    }
  }

  @Test
  void uintOptRleUsesNegativeZeroAsCountFlag() {
    UintOptRleEncoder e = new UintOptRleEncoder();
    long[] values = {0, 0, 0, 5, 7, 7, 300, 1};
    for (long v : values) {
      e.write(v);
    }
    assertThat(e.toByteArray()).isEqualTo(hex("4001054700ac0401"));
    UintOptRleDecoder d = new UintOptRleDecoder(in("4001054700ac0401"));
    for (long v : values) {
      assertThat(d.read()).isEqualTo(v);
    }
    assertThat(d.exhausted()).isTrue();
    UintOptRleEncoder zeros = new UintOptRleEncoder();
    zeros.write(0);
    zeros.write(0);
    assertThat(zeros.toByteArray()).isEqualTo(hex("4000"));
  }

  @Test
  void intDiffOptRleDeltaEncodes() {
    IntDiffOptRleEncoder e = new IntDiffOptRleEncoder();
    long[] values = {0, 1, 2, 3, 10, 5, 5, 5, 4294967295L};
    for (long v : values) {
      e.write(v);
    }
    assertThat(e.toByteArray()).isEqualTo(hex("0003010e4a0100b4ffffff3f"));
    IntDiffOptRleDecoder d = new IntDiffOptRleDecoder(in("0003010e4a0100b4ffffff3f"));
    for (long v : values) {
      assertThat(d.read()).isEqualTo(v);
    }
    assertThat(d.exhausted()).isTrue();
  }

  @Test
  void stringEncoderJoinsLoneSurrogatesOfNeighbours() {
    String[] parts = {"ab", "\uD83D", "\uDE00x", "", "é", "\uD800"};
    StringEncoder e = new StringEncoder();
    for (String s : parts) {
      e.write(s);
    }
    byte[] bytes = e.toByteArray();
    assertThat(bytes).isEqualTo(hex("0c6162f09f988078c3a9efbfbd020102004100"));
    StringDecoder d = new StringDecoder(new Lib0Decoder(bytes));
    assertThat(d.read()).isEqualTo("ab");
    assertThat(d.read()).isEqualTo("\uD83D");
    assertThat(d.read()).isEqualTo("\uDE00x");
    assertThat(d.read()).isEqualTo("");
    assertThat(d.read()).isEqualTo("é");
    assertThat(d.read()).isEqualTo("\uFFFD"); // the lone surrogate was written as U+FFFD
    assertThat(d.exhausted()).isTrue();
  }

  /** Encoding piece by piece must equal encoding the concatenation (lib0's definition). */
  @Test
  void stringEncoderEqualsEncodingTheConcatenation() {
    String[] alphabet = {"a", "", "\uD83D", "\uDE00", "\uD83D\uDE00", "\u00E9", "?", "\uFFFD", "xyz"};
    java.util.Random rnd = new java.util.Random(7);
    for (int round = 0; round < 2000; round++) {
      StringEncoder e = new StringEncoder(1);
      StringBuilder all = new StringBuilder();
      UintOptRleEncoder lengths = new UintOptRleEncoder();
      int count = rnd.nextInt(8);
      for (int i = 0; i < count; i++) {
        StringBuilder piece = new StringBuilder();
        for (int k = rnd.nextInt(4); k > 0; k--) {
          piece.append(alphabet[rnd.nextInt(alphabet.length)]);
        }
        if (rnd.nextInt(10) == 0) {
          piece.append("q".repeat(300));
        }
        String p = piece.toString();
        e.write(p);
        all.append(p);
        lengths.write(p.length());
      }
      Lib0Encoder expected = new Lib0Encoder();
      byte[] utf8 = JsUtf8.encode(all);
      expected.writeVarUint(utf8.length).writeBytes(utf8).writeBytes(lengths.toByteArray());
      assertThat(e.toByteArray()).as("round %d", round).isEqualTo(expected.toByteArray());
    }
  }

  @Test
  void decodersRejectTruncationAndOverlongSlices() {
    assertThatThrownBy(() -> new UintOptRleDecoder(in("40")).read())
        .isInstanceOf(MalformedDataException.class);
    assertThatThrownBy(() -> new IntDiffOptRleDecoder(in("")).read())
        .isInstanceOf(MalformedDataException.class);
    // string column claims a length of 5 but holds 2 characters
    StringDecoder d = new StringDecoder(in("02616205"));
    assertThatThrownBy(d::read).isInstanceOf(MalformedDataException.class);
  }

  @Test
  void intDiffRejectsLeavingTheSafeRange() {
    Lib0Encoder e = new Lib0Encoder();
    e.writeVarInt(((1L << 52) - 1) * 2 + 1); // diff 2^52-1, with count
    e.writeVarUint(10);
    IntDiffOptRleDecoder d = new IntDiffOptRleDecoder(new Lib0Decoder(e.toByteArray()));
    d.read();
    d.read();
    assertThatThrownBy(d::read).isInstanceOf(MalformedDataException.class);
  }
}
