package dev.tandem.crdt.lib0;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.crdt.MalformedDataException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Hand-made cases for the JavaScript-specific corners of the lib0 codecs. */
class Lib0UnitTest {

  private static byte[] bytes(int... v) {
    byte[] b = new byte[v.length];
    for (int i = 0; i < v.length; i++) {
      b[i] = (byte) v[i];
    }
    return b;
  }

  @Test
  void loneSurrogatesEncodeAsReplacementCharacter() {
    assertThat(JsUtf8.encode("\uD800")).containsExactly(bytes(0xEF, 0xBF, 0xBD));
    assertThat(JsUtf8.encode("a\uDC00b")).containsExactly(bytes('a', 0xEF, 0xBF, 0xBD, 'b'));
    // reversed pair: two lone surrogates
    assertThat(JsUtf8.encode("\uDE00\uD83D")).containsExactly(bytes(0xEF, 0xBF, 0xBD, 0xEF, 0xBF, 0xBD));
    // high surrogate at the very end
    assertThat(JsUtf8.encode("x\uD83D")).containsExactly(bytes('x', 0xEF, 0xBF, 0xBD));
    assertThat(JsUtf8.encodedLength("x\uD83D")).isEqualTo(4);
    // a proper pair is one 4-byte sequence
    assertThat(JsUtf8.encode("\uD83D\uDE00")).containsExactly(bytes(0xF0, 0x9F, 0x98, 0x80));
    assertThat(JsUtf8.encodedLength("\uD83D\uDE00\uD83D")).isEqualTo(7);
  }

  @Test
  void strictDecodingLikeFatalTextDecoder() {
    byte[] bom = bytes(0xEF, 0xBB, 0xBF, 'a');
    assertThat(JsUtf8.decodeStrict(bom, 0, bom.length)).isEqualTo("\uFEFFa");
    byte[] encodedSurrogate = bytes(0xED, 0xA0, 0x80);
    assertThat(JsUtf8.decodeStrict(encodedSurrogate, 0, 3)).isNull();
    byte[] overlong = bytes(0xC0, 0x80);
    assertThat(JsUtf8.decodeStrict(overlong, 0, 2)).isNull();
    byte[] truncated = bytes('a', 0xE2, 0x82);
    assertThat(JsUtf8.decodeStrict(truncated, 0, 3)).isNull();
    byte[] varString = bytes(2, 0xC3, 0x28);
    assertThatThrownBy(() -> new Lib0Decoder(varString).readVarString())
        .isInstanceOf(MalformedDataException.class);
  }

  /** writeVarString's ASCII fast paths (short: char loop, long: JDK encoder) against encode(). */
  @Test
  void varStringFastPathsMatchTheGeneralEncoder() {
    String[] pieces = {"a", "?", "\uD800", "\uDC00", "\u00E9", "\uFFFD", "\uD83D\uDE00", "\u0141", "\u007F"};
    java.util.Random rnd = new java.util.Random(42);
    for (int len : new int[] {0, 1, 5, 127, 128, 255, 256, 257, 1000, 20000}) {
      for (int variant = 0; variant < 20; variant++) {
        StringBuilder b = new StringBuilder();
        while (b.length() < len) {
          b.append(variant == 0 ? "x" : variant == 1 ? "?" : pieces[rnd.nextInt(pieces.length)]);
          if (rnd.nextInt(4) != 0) {
            b.append('q');
          }
        }
        String s = b.toString();
        byte[] utf8 = JsUtf8.encode(s);
        Lib0Encoder e = new Lib0Encoder(1);
        e.writeUint8(7).writeVarString(s).writeUint8(9);
        Lib0Encoder expected = new Lib0Encoder();
        expected.writeUint8(7).writeVarUint(utf8.length).writeBytes(utf8).writeUint8(9);
        assertThat(e.toByteArray()).as("len %d variant %d", len, variant).containsExactly(expected.toByteArray());
        // decode back: valid UTF-8 (lone surrogates came out as U+FFFD, which must be accepted)
        String back = JsUtf8.decodeStrict(utf8, 0, utf8.length);
        assertThat(back).isNotNull();
        assertThat(JsUtf8.encode(back)).containsExactly(utf8);
      }
    }
    byte[] replacement = bytes('a', 0xEF, 0xBF, 0xBD, 'b');
    assertThat(JsUtf8.decodeStrict(replacement, 0, 5)).isEqualTo("a\uFFFDb");
    byte[] badInLong = new byte[600];
    java.util.Arrays.fill(badInLong, (byte) 'a');
    badInLong[599] = (byte) 0x80;
    assertThat(JsUtf8.decodeStrict(badInLong, 0, 600)).isNull();
    badInLong[599] = (byte) 0xFF;
    assertThat(JsUtf8.decodeStrict(badInLong, 0, 600)).isNull();
  }

  @Test
  void exactlySizedEncoderHandsOutItsBufferButNeverReusesIt() {
    Lib0Encoder e = new Lib0Encoder(16);
    for (int i = 0; i < 16; i++) {
      e.writeUint8(i);
    }
    byte[] first = e.toByteArray();
    assertThat(first).hasSize(16);
    e.reset();
    e.writeUint8(99);
    assertThat(first[0]).isEqualTo((byte) 0);
    e.writeVarUint(300);
    assertThat(first[1]).isEqualTo((byte) 1);
  }

  /** The unchecked fast paths (enough bytes left) and the checked loop must agree. */
  @Test
  void varIntegerFastPathsAgreeWithCheckedPaths() {
    long max = (1L << 53) - 1;
    java.util.Random rnd = new java.util.Random(3);
    for (int i = 0; i < 20000; i++) {
      long v = i < 64 ? (1L << (i % 54)) - (i / 54) : rnd.nextLong() >>> (11 + rnd.nextInt(53));
      v = Math.min(Math.max(v, 0), max);
      boolean neg = rnd.nextBoolean();
      for (int pad : new int[] {0, 9}) {
        Lib0Encoder e = new Lib0Encoder(1);
        e.writeVarUint(v).writeVarInt(v, neg);
        for (int k = 0; k < pad; k++) {
          e.writeUint8(0x7F);
        }
        Lib0Decoder d = new Lib0Decoder(e.toByteArray());
        assertThat(d.readVarUint()).isEqualTo(v);
        long raw = d.readVarIntRaw();
        assertThat(Lib0Decoder.rawValue(raw)).isEqualTo(neg ? -v : v);
        assertThat(Lib0Decoder.rawNegative(raw)).isEqualTo(neg);
        assertThat(d.remaining()).isEqualTo(pad);
      }
    }
    // too long or too large, with and without bytes following
    for (int pad : new int[] {0, 9}) {
      byte[] nineBytes = new byte[9 + pad];
      java.util.Arrays.fill(nineBytes, 0, 8, (byte) 0x81);
      nineBytes[8] = 0x01;
      assertThatThrownBy(() -> new Lib0Decoder(nineBytes).readVarUint())
          .isInstanceOf(MalformedDataException.class);
      assertThatThrownBy(() -> new Lib0Decoder(nineBytes).readVarIntRaw())
          .isInstanceOf(MalformedDataException.class);
      byte[] big = new byte[8 + pad];
      java.util.Arrays.fill(big, 0, 7, (byte) 0xFF);
      big[7] = 0x7F; // 2^56 - 1 as var-uint; as var-int 2^55 - 1
      assertThatThrownBy(() -> new Lib0Decoder(big).readVarUint())
          .isInstanceOf(MalformedDataException.class);
      assertThatThrownBy(() -> new Lib0Decoder(big).readVarIntRaw())
          .isInstanceOf(MalformedDataException.class);
    }
  }

  @Test
  void objectKeysFollowJavaScriptOrder() {
    Map<String, Object> m = new LinkedHashMap<>();
    for (String k : List.of("b", "10", "2", "a", "01", "4294967295", "4294967294", "-1", "0", "1.5")) {
      m.put(k, 1.0);
    }
    assertThat(JsObjectKeys.ordered(m))
        .containsExactly("0", "2", "10", "4294967294", "b", "a", "01", "4294967295", "-1", "1.5");
    byte[] encoded = new Lib0Encoder().writeAny(m).toByteArray();
    Lib0Decoder d = new Lib0Decoder(encoded);
    @SuppressWarnings("unchecked")
    Map<String, Object> back = (Map<String, Object>) d.readAny();
    assertThat(new ArrayList<>(back.keySet()))
        .containsExactly("0", "2", "10", "4294967294", "b", "a", "01", "4294967295", "-1", "1.5");
  }

  @Test
  void duplicateKeysKeepFirstPositionAndLastValue() {
    // {a: 1, b: 2, a: 3} as lib0 bytes (lib0 itself never writes this, but decodes it so)
    byte[] b = bytes(118, 3, 1, 'a', 125, 1, 1, 'b', 125, 2, 1, 'a', 125, 3);
    @SuppressWarnings("unchecked")
    Map<String, Object> m = (Map<String, Object>) new Lib0Decoder(b).readAny();
    assertThat(new ArrayList<>(m.keySet())).containsExactly("a", "b");
    assertThat(m.get("a")).isEqualTo(3.0);
    assertThat(new Lib0Encoder().writeAny(m).toByteArray())
        .containsExactly(bytes(118, 2, 1, 'a', 125, 3, 1, 'b', 125, 2));
  }

  @Test
  void protoKeyVanishesLikeInJavaScript() {
    byte[] b = bytes(118, 2, 9, '_', '_', 'p', 'r', 'o', 't', 'o', '_', '_', 118, 0, 1, 'x', 120);
    @SuppressWarnings("unchecked")
    Map<String, Object> m = (Map<String, Object>) new Lib0Decoder(b).readAny();
    assertThat(m).containsOnlyKeys("x");
  }

  @Test
  void negativeZeroAndNumberKinds() {
    assertThat(new Lib0Encoder().writeAny(-0.0).toByteArray()).containsExactly(bytes(125, 0x40));
    assertThat(new Lib0Encoder().writeAny(0.0).toByteArray()).containsExactly(bytes(125, 0));
    Object back = new Lib0Decoder(bytes(125, 0x40)).readAny();
    assertThat(Double.doubleToRawLongBits((Double) back)).isEqualTo(Double.doubleToRawLongBits(-0.0));
    // 2^31 is no longer a lib0 integer; it is float32-representable
    assertThat(new Lib0Encoder().writeAny(2147483648.0).toByteArray()).containsExactly(bytes(124, 0x4F, 0, 0, 0));
    assertThat(new Lib0Encoder().writeAny(2147483647L).toByteArray()[0]).isEqualTo((byte) 125);
    assertThat(new Lib0Encoder().writeAny(0.1).toByteArray()[0]).isEqualTo((byte) 123);
    assertThat(new Lib0Encoder().writeAny(Double.NaN).toByteArray()[0]).isEqualTo((byte) 123);
    assertThat(new Lib0Encoder().writeAny(Double.POSITIVE_INFINITY).toByteArray()[0]).isEqualTo((byte) 124);
  }

  @Test
  void varUintLimits() {
    long max = (1L << 53) - 1;
    byte[] enc = new Lib0Encoder().writeVarUint(max).toByteArray();
    assertThat(enc).hasSize(8);
    assertThat(new Lib0Decoder(enc).readVarUint()).isEqualTo(max);
    // 2^53 does not fit a JavaScript safe integer
    byte[] tooBig = bytes(0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x10);
    assertThatThrownBy(() -> new Lib0Decoder(tooBig).readVarUint()).isInstanceOf(MalformedDataException.class);
    assertThatThrownBy(() -> new Lib0Decoder(bytes(0x80)).readVarUint())
        .isInstanceOf(MalformedDataException.class);
    byte[] negZero = new Lib0Encoder().writeVarInt(0, true).toByteArray();
    assertThat(negZero).containsExactly(bytes(0x40));
    long raw = new Lib0Decoder(negZero).readVarIntRaw();
    assertThat(Lib0Decoder.rawNegative(raw)).isTrue();
    assertThat(Lib0Decoder.rawValue(raw)).isZero();
  }
}
