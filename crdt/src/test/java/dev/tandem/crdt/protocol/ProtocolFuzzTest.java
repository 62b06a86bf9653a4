package dev.tandem.crdt.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import dev.tandem.crdt.MalformedDataException;
import dev.tandem.crdt.protocol.hocuspocus.AuthorizedScope;
import dev.tandem.crdt.protocol.hocuspocus.Direction;
import dev.tandem.crdt.protocol.hocuspocus.HocuspocusAuth;
import dev.tandem.crdt.protocol.hocuspocus.HocuspocusDecoder;
import dev.tandem.crdt.protocol.hocuspocus.HocuspocusEncoder;
import dev.tandem.crdt.protocol.hocuspocus.HocuspocusFrame;
import dev.tandem.crdt.protocol.hocuspocus.HocuspocusMessage;
import dev.tandem.crdt.json.Json;
import dev.tandem.crdt.protocol.ywebsocket.YWebsocketCodec;
import dev.tandem.crdt.protocol.ywebsocket.YWebsocketMessage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Seeded mutation fuzzing of every protocol decoder: valid frames are mutated (bit flips, byte
 * changes, insertions, deletions, truncation, appended garbage, huge var-ints, spliced
 * halves) and each decoder must either succeed or throw {@link MalformedDataException}; on
 * success, encoding the result and decoding it again must give the same value. Reproduce a
 * failure with {@code -Dtandem.fuzz.seed=<seed printed>}.
 */
class ProtocolFuzzTest {
  private static final int CASES = 60_000;

  private record Target(String name, Function<byte[], Object> decode, Function<Object, byte[]> encode) {}

  private static final List<Target> TARGETS =
      List.of(
          new Target("sync", SyncCodec::decode, o -> SyncCodec.encode((SyncMessage) o)),
          new Target("auth", AuthCodec::decode, o -> AuthCodec.encode((AuthMessage) o)),
          new Target(
              "awareness", AwarenessCodec::decode, o -> AwarenessCodec.encode((AwarenessUpdate) o)),
          new Target(
              "y-websocket",
              YWebsocketCodec::decode,
              o -> YWebsocketCodec.encode((YWebsocketMessage) o)),
          new Target(
              "hocuspocus-from-client",
              b -> HocuspocusDecoder.decode(b, Direction.FROM_CLIENT),
              o -> HocuspocusEncoder.encode((HocuspocusFrame) o)),
          new Target(
              "hocuspocus-from-server",
              b -> HocuspocusDecoder.decode(b, Direction.FROM_SERVER),
              o -> HocuspocusEncoder.encode((HocuspocusFrame) o)));

  @Test
  @Timeout(60)
  void decodersOnlyEverThrowMalformedData() {
    long seed = Long.getLong("tandem.fuzz.seed", 0x5EED_7A4DL);
    Random rnd = new Random(seed);
    List<byte[]> corpus = corpus(rnd);
    long start = System.nanoTime();
    int accepted = 0;
    for (int i = 0; i < CASES; i++) {
      byte[] input = mutate(corpus.get(rnd.nextInt(corpus.size())), corpus, rnd);
      for (Target t : TARGETS) {
        try {
          Object decoded;
          try {
            decoded = t.decode.apply(input);
          } catch (MalformedDataException expected) {
            continue;
          }
          accepted++;
          Object again = t.decode.apply(t.encode.apply(decoded));
          if (!again.equals(decoded)) {
            throw new AssertionError("re-encoding changed the value: " + decoded + " -> " + again);
          }
        } catch (Throwable e) {
          fail(
              "fuzz seed "
                  + seed
                  + " (rerun with -Dtandem.fuzz.seed="
                  + seed
                  + "), case "
                  + i
                  + ", decoder "
                  + t.name
                  + ", input "
                  + HexFormat.of().formatHex(input)
                  + ": "
                  + e,
              e);
        }
      }
    }
    long ms = (System.nanoTime() - start) / 1_000_000;
    System.out.printf(
        "protocol fuzz: seed %d, %d cases x %d decoders, %d accepted, %d ms%n",
        seed, CASES, TARGETS.size(), accepted, ms);
    // sanity: if every mutation were rejected, the re-encoding round trip would go untested
    assertThat(accepted).as("inputs a decoder accepted").isPositive();
  }

  private static byte[] mutate(byte[] base, List<byte[]> corpus, Random rnd) {
    byte[] b = base.clone();
    int rounds = 1 + rnd.nextInt(3);
    for (int r = 0; r < rounds; r++) {
      switch (rnd.nextInt(9)) {
        case 0 -> { // flip a bit
          if (b.length > 0) {
            b[rnd.nextInt(b.length)] ^= (byte) (1 << rnd.nextInt(8));
          }
        }
        case 1 -> { // set a byte to an interesting value
          if (b.length > 0) {
            int[] vals = {0, 1, 2, 7, 8, 9, 10, 0x7F, 0x80, 0xFF, '"', '{', '[', 'n'};
            b[rnd.nextInt(b.length)] = (byte) vals[rnd.nextInt(vals.length)];
          }
        }
        case 2 -> { // insert a random byte
          int at = rnd.nextInt(b.length + 1);
          byte[] n = new byte[b.length + 1];
          System.arraycopy(b, 0, n, 0, at);
          n[at] = (byte) rnd.nextInt(256);
          System.arraycopy(b, at, n, at + 1, b.length - at);
          b = n;
        }
        case 3 -> { // delete a byte
          if (b.length > 0) {
            int at = rnd.nextInt(b.length);
            byte[] n = new byte[b.length - 1];
            System.arraycopy(b, 0, n, 0, at);
            System.arraycopy(b, at + 1, n, at, b.length - at - 1);
            b = n;
          }
        }
        case 4 -> b = Arrays.copyOf(b, rnd.nextInt(b.length + 1)); // truncate
        case 5 -> { // append garbage
          byte[] tail = new byte[1 + rnd.nextInt(4)];
          rnd.nextBytes(tail);
          byte[] n = Arrays.copyOf(b, b.length + tail.length);
          System.arraycopy(tail, 0, n, b.length, tail.length);
          b = n;
        }
        case 6 -> { // overwrite with a huge var-int
          if (b.length > 0) {
            int at = rnd.nextInt(b.length);
            byte[] huge = {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0x0F};
            for (int k = 0; k < huge.length && at + k < b.length; k++) {
              b[at + k] = huge[k];
            }
          }
        }
        case 7 -> { // splice with another corpus entry
          byte[] o = corpus.get(rnd.nextInt(corpus.size()));
          int cut = rnd.nextInt(b.length + 1);
          int from = rnd.nextInt(o.length + 1);
          byte[] n = Arrays.copyOf(b, cut + o.length - from);
          System.arraycopy(o, from, n, cut, o.length - from);
          b = n;
        }
        default -> { // random bytes
          byte[] n = new byte[rnd.nextInt(12)];
          rnd.nextBytes(n);
          b = n;
        }
      }
    }
    return b;
  }

  private static List<byte[]> corpus(Random rnd) {
    List<byte[]> c = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      byte[] payload = new byte[rnd.nextInt(20)];
      rnd.nextBytes(payload);
      SyncMessage sync = SyncMessage.of(rnd.nextInt(3), payload);
      AwarenessUpdate aw = awareness(rnd);
      String key = rnd.nextBoolean() ? "doc-" + i : "doc\0sess" + i;
      c.add(SyncCodec.encode(sync));
      c.add(AwarenessCodec.encode(aw));
      c.add(AuthCodec.encode(new AuthMessage.PermissionDenied("reason " + i)));
      c.add(YWebsocketCodec.encode(new YWebsocketMessage.Sync(sync)));
      c.add(YWebsocketCodec.encode(new YWebsocketMessage.Awareness(aw)));
      c.add(YWebsocketCodec.encode(new YWebsocketMessage.QueryAwareness()));
      for (HocuspocusMessage m :
          List.of(
              new HocuspocusMessage.Sync(sync),
              new HocuspocusMessage.SyncReply(sync),
              new HocuspocusMessage.Awareness(aw),
              new HocuspocusMessage.Auth(new HocuspocusAuth.Token("tok" + i, "4.8.0")),
              new HocuspocusMessage.Auth(new HocuspocusAuth.TokenRequest()),
              new HocuspocusMessage.Auth(new HocuspocusAuth.PermissionDenied("denied")),
              new HocuspocusMessage.Auth(
                  new HocuspocusAuth.Authenticated(AuthorizedScope.values()[i % 2])),
              new HocuspocusMessage.QueryAwareness(),
              new HocuspocusMessage.Stateless("{\"x\":" + i + "}"),
              new HocuspocusMessage.BroadcastStateless("b"),
              new HocuspocusMessage.CloseRequest(),
              new HocuspocusMessage.Close("bye"),
              new HocuspocusMessage.SyncStatus(rnd.nextBoolean()))) {
        c.add(HocuspocusEncoder.encode(key, m));
      }
    }
    c.add(HocuspocusEncoder.encode(new HocuspocusFrame.Ping()));
    c.add(HocuspocusEncoder.encode(new HocuspocusFrame.Pong()));
    return c;
  }

  private static AwarenessUpdate awareness(Random rnd) {
    List<AwarenessEntry> entries = new ArrayList<>();
    int n = rnd.nextInt(4);
    for (int i = 0; i < n; i++) {
      long id = rnd.nextInt(Integer.MAX_VALUE);
      long clock = rnd.nextInt(1000);
      if (rnd.nextInt(4) == 0) {
        entries.add(AwarenessEntry.removed(id, clock));
      } else {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("user", Map.of("name", "u" + i, "color", "#" + Integer.toHexString(i)));
        state.put("cursor", List.of(rnd.nextDouble(), rnd.nextInt(), "é\n", true));
        entries.add(new AwarenessEntry(id, clock, Json.stringify(state)));
      }
    }
    return new AwarenessUpdate(entries);
  }
}
