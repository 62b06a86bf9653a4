package dev.tandem.crdt.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import dev.tandem.crdt.json.JsNumber;
import dev.tandem.crdt.json.Json;
import dev.tandem.crdt.protocol.ywebsocket.YWebsocketCodec;
import dev.tandem.crdt.protocol.ywebsocket.YWebsocketMessage;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Compares the codecs with vectors written by y-protocols 1.0.7 / yjs 13.6.33 themselves
 * ({@code crdt/oracle/generators/protocol.mjs}): every message must decode to the expected
 * value and re-encode to the very same bytes.
 */
class ProtocolOracleTest {
  private static Map<String, Object> fixture;

  @BeforeAll
  @SuppressWarnings("unchecked")
  static void load() throws IOException {
    String dir = System.getProperty("tandem.oracle.dir");
    if (dir == null) {
      fail("system property tandem.oracle.dir is not set; it must name the directory the oracle"
          + " generators (crdt/oracle/generators/*.mjs) wrote into");
    }
    Path file = Path.of(dir, "protocol.json");
    if (!Files.isRegularFile(file)) {
      fail("missing oracle fixture " + file.toAbsolutePath() + ": run the oracle generators"
          + " (crdt/oracle/gen.mjs runs generators/protocol.mjs) into " + dir);
    }
    fixture = (Map<String, Object>) Json.parse(Files.readString(file, StandardCharsets.UTF_8));
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> cases(String key) {
    List<Map<String, Object>> list = (List<Map<String, Object>>) fixture.get(key);
    assertThat(list).as(key).isNotEmpty();
    return list;
  }

  private static byte[] b64(Object s) {
    return Base64.getDecoder().decode((String) s);
  }

  private static int syncType(Object name) {
    return switch ((String) name) {
      case "step1" -> SyncMessage.STEP1;
      case "step2" -> SyncMessage.STEP2;
      case "update" -> SyncMessage.UPDATE;
      default -> throw new AssertionError("bad fixture sync type " + name);
    };
  }

  @SuppressWarnings("unchecked")
  private static List<AwarenessEntry> entries(Object list) {
    List<AwarenessEntry> out = new ArrayList<>();
    for (Map<String, Object> e : (List<Map<String, Object>>) list) {
      out.add(
          new AwarenessEntry(
              ((Double) e.get("clientId")).longValue(),
              ((Double) e.get("clock")).longValue(),
              (String) e.get("state")));
    }
    return out;
  }

  @Test
  void syncMessagesDecodeAndReencodeExactly() {
    for (Map<String, Object> c : cases("sync")) {
      byte[] bytes = b64(c.get("message"));
      SyncMessage m = SyncCodec.decode(bytes);
      assertThat(m.type()).isEqualTo(syncType(c.get("type")));
      assertThat(m.payload()).isEqualTo(b64(c.get("payload")));
      assertThat(SyncCodec.encode(SyncMessage.of(m.type(), b64(c.get("payload")))))
          .isEqualTo(bytes);
    }
  }

  @Test
  void awarenessUpdatesDecodeAndReencodeExactly() {
    for (Map<String, Object> c : cases("awareness")) {
      byte[] bytes = b64(c.get("message"));
      AwarenessUpdate decoded = AwarenessCodec.decode(bytes);
      List<AwarenessEntry> expected = entries(c.get("entries"));
      assertThat(decoded.entries()).isEqualTo(expected);
      assertThat(AwarenessCodec.encode(new AwarenessUpdate(expected))).isEqualTo(bytes);
      for (AwarenessEntry e : decoded.entries()) {
        assertThat(e.isRemoved()).isEqualTo(e.stateJson().equals("null"));
        // JSON.stringify(JSON.parse(text)) === text for what JSON.stringify produced
        assertThat(Json.stringify(e.state())).isEqualTo(e.stateJson());
        assertThat(AwarenessEntry.of(e.clientId(), e.clock(), e.state())).isEqualTo(e);
      }
    }
  }

  @Test
  void removedAwarenessStatesArePresent() {
    long removed =
        cases("awareness").stream()
            .flatMap(c -> entries(c.get("entries")).stream())
            .filter(AwarenessEntry::isRemoved)
            .count();
    assertThat(removed).as("fixture should contain removed (null) states").isPositive();
  }

  @Test
  void authMessagesDecodeAndReencodeExactly() {
    for (Map<String, Object> c : cases("auth")) {
      byte[] bytes = b64(c.get("message"));
      AuthMessage m = AuthCodec.decode(bytes);
      assertThat(m).isEqualTo(new AuthMessage.PermissionDenied((String) c.get("decodedReason")));
      assertThat(AuthCodec.encode(m)).isEqualTo(bytes);
      // lone surrogates in the reason are written as U+FFFD, as TextEncoder does
      assertThat(AuthCodec.encode(new AuthMessage.PermissionDenied((String) c.get("reason"))))
          .isEqualTo(bytes);
    }
  }

  @Test
  void yWebsocketFramesDecodeAndReencodeExactly() {
    for (Map<String, Object> c : cases("ywebsocket")) {
      byte[] bytes = b64(c.get("message"));
      int type = ((Double) c.get("type")).intValue();
      YWebsocketMessage expected;
      switch (type) {
        case YWebsocketMessage.SYNC -> {
          @SuppressWarnings("unchecked")
          Map<String, Object> s = (Map<String, Object>) c.get("sync");
          expected =
              new YWebsocketMessage.Sync(
                  SyncMessage.of(syncType(s.get("type")), b64(s.get("payload"))));
        }
        case YWebsocketMessage.AWARENESS -> expected =
            new YWebsocketMessage.Awareness(new AwarenessUpdate(entries(c.get("awareness"))));
        case YWebsocketMessage.AUTH -> {
          expected =
              new YWebsocketMessage.Auth(
                  new AuthMessage.PermissionDenied((String) c.get("decodedReason")));
          assertThat(
                  YWebsocketCodec.encode(
                      new YWebsocketMessage.Auth(
                          new AuthMessage.PermissionDenied((String) c.get("reason")))))
              .isEqualTo(bytes);
        }
        case YWebsocketMessage.QUERY_AWARENESS -> expected = new YWebsocketMessage.QueryAwareness();
        default -> throw new AssertionError("bad fixture type " + type);
      }
      assertThat(YWebsocketCodec.decode(bytes)).isEqualTo(expected);
      assertThat(YWebsocketCodec.encode(expected)).isEqualTo(bytes);
    }
  }

  @Test
  void numbersFormatAsJavaScriptDoes() {
    for (Map<String, Object> c : cases("numbers")) {
      double x = Double.longBitsToDouble(new BigInteger((String) c.get("bits"), 16).longValue());
      assertThat(JsNumber.toString(x)).as("bits %s", c.get("bits")).isEqualTo(c.get("text"));
    }
  }
}
