package dev.tandem.crdt.differential;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.crdt.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The run both differential suites share ({@link JavaYjsConvergenceTest}, {@link YjsPeerTest}):
 * replicas edit with {@link RandomOps} and exchange their updates through chaotic {@link
 * DeliverySchedule}s (reordered, duplicated, late; each receiver picks v1 or v2 per update), then
 * sync by state vector. Everything random comes from {@code gen.random()}, so a seed fixes the run.
 */
final class ChaoticExchange {
  /** One update in flight: both encodings, receiver picks one. */
  private record Msg(String from, byte[] v1, byte[] v2) {}

  private ChaoticExchange() {}

  /**
   * Edits and exchanges until every replica has seen every update, logging each op (in its wire
   * form: records print byte[] values as identity hashes) and each delivery to {@code log}.
   */
  static void run(RandomOps gen, List<? extends DocDriver> docs, List<String> log) {
    Random rnd = gen.random();
    int docCount = docs.size();
    List<DeliverySchedule<Msg>> inbox = new ArrayList<>();
    for (int i = 0; i < docCount; i++) {
      inbox.add(DeliverySchedule.chaotic(rnd));
    }
    int steps = 30 + rnd.nextInt(30);
    for (int step = 0; step < steps; step++) {
      int d = rnd.nextInt(docCount);
      if (rnd.nextInt(4) == 0) {
        for (Msg m : inbox.get(d).deliverSome()) {
          deliver(docs.get(d), m, rnd, log);
        }
        continue;
      }
      int ops = 1 + rnd.nextInt(3);
      for (int k = 0; k < ops; k++) {
        Op op = gen.next(docs.get(d).shape());
        log.add(docs.get(d) + " <- " + Json.stringify(op.toWire()));
        Emitted e = docs.get(d).apply(op);
        assertThat(e.v1().size()).as("one transaction, at most one update").isLessThanOrEqualTo(1);
        assertThat(e.v2().size()).isEqualTo(e.v1().size());
        for (int i = 0; i < e.v1().size(); i++) {
          for (int other = 0; other < docCount; other++) {
            if (other != d) {
              inbox.get(other).send(new Msg(docs.get(d).toString(), e.v1().get(i), e.v2().get(i)));
            }
          }
        }
      }
    }
    for (int d = 0; d < docCount; d++) {
      for (Msg m : inbox.get(d).deliverAll()) {
        deliver(docs.get(d), m, rnd, log);
      }
    }
    // y-protocols sync step 2 between every pair: applying remote updates can make local
    // changes that no op emitted (Y.Text formatting cleanup deletes redundant format items
    // after a remote transaction), which only a state-vector sync carries to the others
    for (int round = 0; round < 2; round++) {
      for (DocDriver from : docs) {
        for (DocDriver to : docs) {
          if (from != to) {
            to.applyUpdate(from.encodeState(to.stateVector()));
          }
        }
      }
    }
  }

  /** The last 60 lines of a run's log, for failure messages. */
  static List<String> tail(List<String> log) {
    return log.subList(Math.max(0, log.size() - 60), log.size());
  }

  private static void deliver(DocDriver to, Msg m, Random rnd, List<String> log) {
    boolean v2 = rnd.nextBoolean();
    log.add(to + " <= update from " + m.from() + (v2 ? " (v2)" : " (v1)"));
    if (v2) {
      to.applyUpdateV2(m.v2());
    } else {
      to.applyUpdate(m.v1());
    }
  }
}
