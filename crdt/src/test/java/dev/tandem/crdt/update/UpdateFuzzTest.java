package dev.tandem.crdt.update;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.crdt.MalformedDataException;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Mutation fuzzing of every decoding entry point: bit flips, byte overwrites, truncations,
 * insertions, duplications and splices of valid Yjs updates. Each case must either succeed
 * (and a decoded update must re-encode) or throw {@link MalformedDataException}; anything
 * else, or a hang, fails with the seed and case number. Reproduce with
 * {@code -Dtandem.fuzz.seed=<seed> -Dtandem.fuzz.cases=<n>}.
 */
class UpdateFuzzTest {
  private static final long SEED = Long.getLong("tandem.fuzz.seed", 0x7A4D3EL);
  private static final int CASES = Integer.getInteger("tandem.fuzz.cases", 100_000);

  private record Sample(UpdateFormat format, byte[] bytes) {}

  private static List<Sample> corpus() throws Exception {
    List<Sample> out = new ArrayList<>();
    try (var in =
        new BufferedReader(
            new InputStreamReader(
                UpdateFuzzTest.class.getResourceAsStream("fuzz-corpus.txt"),
                StandardCharsets.UTF_8))) {
      for (String line; (line = in.readLine()) != null; ) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String[] p = line.split(" ");
        out.add(new Sample(p[0].equals("v1") ? UpdateFormat.V1 : UpdateFormat.V2, HexFormat.of().parseHex(p[1])));
      }
    }
    return out;
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void mutatedUpdatesFailOnlyWithMalformedData() throws Exception {
    List<Sample> corpus = corpus();
    assertThat(corpus).hasSizeGreaterThan(50);
    // the unmutated corpus must decode: otherwise the fuzzer would only test rejection
    for (Sample s : corpus) {
      UpdateCodec.decode(s.bytes(), s.format());
    }
    SplittableRandom rnd = new SplittableRandom(SEED);
    int decoded = 0;
    for (int c = 0; c < CASES; c++) {
      Sample base = corpus.get(rnd.nextInt(corpus.size()));
      Sample other = corpus.get(rnd.nextInt(corpus.size()));
      byte[] input = mutate(rnd, base.bytes(), other.bytes());
      UpdateFormat f = base.format();
      int op = rnd.nextInt(6);
      final int caseNo = c;
      boolean ok =
          check(
              caseNo,
              input,
              () -> {
                switch (op) {
                  case 0:
                    {
                      DecodedUpdate u = UpdateCodec.decode(input, f);
                      // a decoded update must re-encode, and the result must decode again
                      byte[] again = UpdateCodec.encode(u, f);
                      UpdateCodec.decode(again, f);
                      return null;
                    }
                  case 1:
                    return f == UpdateFormat.V1
                        ? Updates.convertUpdateFormatV1ToV2(input)
                        : Updates.convertUpdateFormatV2ToV1(input);
                  case 2:
                    {
                      byte[] sv = Updates.encodeStateVector(Map.of(rnd2(caseNo), (long) (caseNo % 7)));
                      return f == UpdateFormat.V1 ? Updates.diffUpdate(input, sv) : Updates.diffUpdateV2(input, sv);
                    }
                  case 3:
                    return f == UpdateFormat.V1
                        ? Updates.encodeStateVectorFromUpdate(input)
                        : Updates.encodeStateVectorFromUpdateV2(input);
                  case 4:
                    {
                      List<byte[]> list = new ArrayList<>();
                      list.add(input);
                      if (other.format() == f) {
                        list.add(other.bytes());
                      }
                      list.add(input);
                      return f == UpdateFormat.V1 ? Updates.mergeUpdates(list) : Updates.mergeUpdatesV2(list);
                    }
                  default:
                    {
                      // the input also as a state vector and as a bare delete set
                      Sample s = new Sample(f, input);
                      try {
                        Updates.decodeStateVector(s.bytes());
                      } catch (MalformedDataException e) {
                        // fine
                      }
                      return f == UpdateFormat.V1
                          ? Updates.decodeDeleteSet(input)
                          : Updates.decodeDeleteSetV2(input);
                    }
                }
              });
      if (ok) {
        decoded++;
      }
    }
    // sanity: the mutations must not all be rejected (then the success path goes untested)
    assertThat(decoded).as("cases that succeeded").isGreaterThan(CASES / 50);
  }

  private static long rnd2(int c) {
    return c % 3 == 0 ? 0 : (long) c * 2654435761L % 5_000_000_000L;
  }

  private static boolean check(int caseNo, byte[] input, Supplier<Object> op) {
    try {
      op.get();
      return true;
    } catch (MalformedDataException e) {
      return false;
    } catch (Throwable t) {
      throw new AssertionError(
          "fuzz seed " + SEED + " case " + caseNo + ": " + t + "\ninput " + HexFormat.of().formatHex(input), t);
    }
  }

  private static byte[] mutate(SplittableRandom rnd, byte[] a, byte[] b) {
    byte[] x = a.clone();
    int rounds = 1 + rnd.nextInt(3);
    for (int r = 0; r < rounds; r++) {
      if (x.length == 0) {
        return x;
      }
      switch (rnd.nextInt(7)) {
        case 0: // bit flip
          {
            int i = rnd.nextInt(x.length);
            x[i] ^= (byte) (1 << rnd.nextInt(8));
            break;
          }
        case 1: // interesting byte
          {
            int[] vals = {0, 1, 0x7f, 0x80, 0xff, 0x3f, 0x40, 10, 9};
            x[rnd.nextInt(x.length)] = (byte) vals[rnd.nextInt(vals.length)];
            break;
          }
        case 2: // truncate
          x = Arrays.copyOf(x, rnd.nextInt(x.length));
          break;
        case 3: // splice: prefix of x, suffix of b
          {
            int cut = rnd.nextInt(x.length + 1);
            int from = rnd.nextInt(b.length + 1);
            byte[] y = Arrays.copyOf(x, cut + b.length - from);
            System.arraycopy(b, from, y, cut, b.length - from);
            x = y;
            break;
          }
        case 4: // insert random bytes
          {
            int at = rnd.nextInt(x.length + 1);
            int n = 1 + rnd.nextInt(4);
            byte[] y = new byte[x.length + n];
            System.arraycopy(x, 0, y, 0, at);
            for (int i = 0; i < n; i++) {
              y[at + i] = (byte) rnd.nextInt(256);
            }
            System.arraycopy(x, at, y, at + n, x.length - at);
            x = y;
            break;
          }
        case 5: // duplicate a range
          {
            int from = rnd.nextInt(x.length);
            int n = 1 + rnd.nextInt(Math.min(16, x.length - from));
            byte[] y = new byte[x.length + n];
            System.arraycopy(x, 0, y, 0, from + n);
            System.arraycopy(x, from, y, from + n, x.length - from);
            x = y;
            break;
          }
        default: // huge var-int
          {
            int at = rnd.nextInt(x.length);
            int n = Math.min(x.length - at, 1 + rnd.nextInt(9));
            for (int i = 0; i < n; i++) {
              x[at + i] = (byte) (i == n - 1 ? rnd.nextInt(128) : 0x80 | rnd.nextInt(128));
            }
            break;
          }
      }
    }
    return x;
  }
}
