package dev.tandem.server.store;

import static dev.tandem.server.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tandem.server.InvalidDocumentNameException;
import dev.tandem.server.redis.EmbeddedRedis;
import dev.tandem.server.testing.RedisServerExtension;
import dev.tandem.server.testing.TestMerge;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.junit5.VertxExtension;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith({VertxExtension.class, RedisServerExtension.class})
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RedisDocumentStoreTest {
  private static final UpdateOrigin ORIGIN = new UpdateOrigin("node-1", "conn-1");

  private Vertx vertx;
  private Redis redis;
  private String prefix;
  private final AtomicInteger merges = new AtomicInteger();

  @BeforeEach
  void setUp(Vertx vertx, EmbeddedRedis server, TestInfo info) {
    this.vertx = vertx;
    this.redis = Redis.createClient(vertx, new RedisOptions().setConnectionString(server.connectionString())
        .setMaxPoolSize(8).setMaxPoolWaiting(10_000));
    this.prefix = "t" + info.getTestMethod().orElseThrow().getName();
  }

  @AfterEach
  void tearDown() {
    await(redis.close());
  }

  private RedisDocumentStore store(long maxEntries, long maxBytes, int batch, Duration awarenessTtl) {
    return new RedisDocumentStore(vertx, redis, new StoreOptions(prefix, maxEntries, maxBytes, batch, awarenessTtl), in -> {
      assertThat(Thread.currentThread().getName()).doesNotContain("eventloop");
      merges.incrementAndGet();
      return TestMerge.merge(in);
    });
  }

  private RedisDocumentStore store() {
    return store(1_000_000, 1L << 40, 10_000, Duration.ofSeconds(30));
  }

  private Response cmd(Request r) {
    return await(redis.send(r));
  }

  /** Every update of the document, flattened out of the snapshot, in order. */
  private static List<Buffer> history(StoredDocument d) {
    List<Buffer> out = new ArrayList<>();
    if (d.snapshot() != null) {
      for (byte[] u : TestMerge.flatten(d.snapshot().getBytes())) {
        out.add(Buffer.buffer(u));
      }
    }
    for (LogEntry e : d.entries()) {
      out.add(e.update());
    }
    return out;
  }

  private static Buffer update(int i, Random rnd) {
    byte[] tail = new byte[rnd.nextInt(40)];
    rnd.nextBytes(tail);
    return Buffer.buffer().appendByte((byte) 1).appendInt(i).appendBytes(tail);
  }

  @Test
  void appendLoadRoundTripIsBinarySafe() {
    RedisDocumentStore s = store();
    byte[] all = new byte[256];
    for (int i = 0; i < 256; i++) {
      all[i] = (byte) i;
    }
    Buffer a = Buffer.buffer(all);
    Buffer b = Buffer.buffer(new byte[] {0, 0, (byte) 0xff, '\r', '\n', 0});
    Buffer c = Buffer.buffer(new byte[70_000]);
    String id1 = await(s.append("bin/ä ü:doc@1", a, ORIGIN));
    String id2 = await(s.append("bin/ä ü:doc@1", b, new UpdateOrigin("node-2", "conn-\u00e9")));
    String id3 = await(s.append("bin/ä ü:doc@1", c, ORIGIN));
    assertThat(RedisDocumentStore.compareIds(id1, id2)).isNegative();
    assertThat(RedisDocumentStore.compareIds(id2, id3)).isNegative();

    StoredDocument d = await(s.load("bin/ä ü:doc@1"));
    assertThat(d.snapshot()).isNull();
    assertThat(d.coveredId()).isNull();
    assertThat(d.entries()).extracting(LogEntry::id).containsExactly(id1, id2, id3);
    assertThat(d.entries().get(0).update().getBytes()).isEqualTo(all);
    assertThat(d.entries().get(1).update().getBytes()).isEqualTo(b.getBytes());
    assertThat(d.entries().get(2).update().getBytes()).isEqualTo(c.getBytes());
    assertThat(d.entries().get(1).node()).isEqualTo("node-2");
    assertThat(d.entries().get(1).connection()).isEqualTo("conn-\u00e9");
    assertThat(d.updates()).hasSize(3);

    // Keys are where docs/redis.md says they are.
    assertThat(cmd(Request.cmd(Command.XLEN).arg(prefix + ":{bin/ä ü:doc@1}:log")).toLong()).isEqualTo(3);
    assertThat(cmd(Request.cmd(Command.TYPE).arg(prefix + ":{bin/ä ü:doc@1}:meta")).toString()).isEqualTo("hash");
    assertThat(await(s.load("unknown")).isEmpty()).isTrue();
  }

  @Test
  void orderIsKeptForSequentialAppends() {
    RedisDocumentStore s = store();
    Random rnd = new Random(1);
    List<Buffer> sent = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      Buffer u = update(i, rnd);
      sent.add(u);
      await(s.append("ordered", u, ORIGIN));
    }
    assertThat(history(await(s.load("ordered")))).containsExactlyElementsOf(sent);
  }

  @Test
  void compactionRacingWithConcurrentAppendsLosesAndDuplicatesNothing() throws Exception {
    RedisDocumentStore s = store(7, 1L << 40, 25, Duration.ofSeconds(30));
    String doc = "race";
    int writers = 16;
    int perWriter = 60;
    List<Future<Void>> done = new ArrayList<>();
    List<List<Buffer>> sent = new ArrayList<>();
    for (int w = 0; w < writers; w++) {
      List<Buffer> mine = new ArrayList<>();
      Random rnd = new Random(w);
      for (int i = 0; i < perWriter; i++) {
        mine.add(update(w * 10_000 + i, rnd));
      }
      sent.add(mine);
      // Each writer chains its appends (as a session would); writers run concurrently.
      Promise<Void> p = Promise.promise();
      vertx.runOnContext(v -> chain(s, doc, mine, 0, p));
      done.add(p.future());
    }
    // Explicit compactions racing with the automatic ones and the writers.
    List<Future<CompactionResult>> explicit = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      explicit.add(s.compact(doc));
      Thread.sleep(5);
    }
    await(Future.all(done));
    await(Future.join(explicit));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (s.compactionsInFlight() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(s.compactionsInFlight()).isZero();
    assertThat(merges.get()).isPositive();
    assertThat(explicit).anyMatch(f -> f.succeeded() && f.result().status() == CompactionResult.Status.COMPACTED);

    StoredDocument d = await(s.load(doc));
    assertThat(d.snapshot()).isNotNull();
    List<Buffer> h = history(d);
    assertThat(h).hasSize(writers * perWriter);
    assertThat(new HashSet<>(h)).hasSize(writers * perWriter);
    for (List<Buffer> mine : sent) {
      assertThat(h).containsSubsequence(mine);
    }
    assertCountersMatchLog(doc);

    // Final passes (each merges at most the batch of 25) fold everything into the snapshot.
    CompactionResult last;
    int passes = 0;
    do {
      last = await(s.compact(doc));
      assertThat(last.status()).isNotEqualTo(CompactionResult.Status.CONFLICT);
      assertThat(last.mergedUpdates()).isLessThanOrEqualTo(25);
    } while (last.status() != CompactionResult.Status.NOTHING && ++passes < 100);
    StoredDocument after = await(s.load(doc));
    assertThat(after.entries()).isEmpty();
    assertThat(history(after)).containsExactlyElementsOf(h);
    assertThat(cmd(Request.cmd(Command.XLEN).arg(s.keys().log(doc))).toLong()).isZero();
    assertCountersMatchLog(doc);
  }

  private void chain(RedisDocumentStore s, String doc, List<Buffer> updates, int i, Promise<Void> p) {
    if (i == updates.size()) {
      p.complete();
      return;
    }
    s.append(doc, updates.get(i), new UpdateOrigin("n", "w")).onComplete(ar -> {
      if (ar.failed()) {
        p.fail(ar.cause());
      } else {
        chain(s, doc, updates, i + 1, p);
      }
    });
  }

  private void assertCountersMatchLog(String doc) {
    RedisKeys k = new RedisKeys(prefix);
    Response meta = cmd(Request.cmd(Command.HMGET).arg(k.meta(doc)).arg("logEntries").arg("logBytes").arg("snapBytes"));
    Response log = cmd(Request.cmd(Command.XRANGE).arg(k.log(doc)).arg("-").arg("+"));
    long bytes = 0;
    for (Response e : log) {
      Response f = e.get(1);
      for (int i = 0; i + 1 < f.size(); i += 2) {
        if (f.get(i).toString().equals("u")) {
          bytes += f.get(i + 1).toBuffer().length();
        }
      }
    }
    assertThat(meta.get(0).toLong()).as("logEntries").isEqualTo(log.size());
    assertThat(meta.get(1).toLong()).as("logBytes").isEqualTo(bytes);
    Response snap = cmd(Request.cmd(Command.HGET).arg(k.snapshot(doc)).arg("s"));
    assertThat(meta.get(2) == null ? 0 : meta.get(2).toLong()).isEqualTo(snap == null ? 0 : snap.toBuffer().length());
  }

  @Test
  void crashBetweenSnapshotWriteAndTrimLosesNothing() {
    RedisDocumentStore s = store();
    Random rnd = new Random(7);
    List<Buffer> sent = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      sent.add(update(i, rnd));
      await(s.append("crash", sent.get(i), ORIGIN));
    }
    // Step 1 only: the snapshot is written, the process "dies" before the trim.
    CompactionResult r = await(s.compact("crash", RedisDocumentStore.CommitMode.SNAPSHOT_ONLY));
    assertThat(r.status()).isEqualTo(CompactionResult.Status.COMPACTED);
    assertThat(r.trimmed()).isZero();
    assertThat(cmd(Request.cmd(Command.XLEN).arg(s.keys().log("crash"))).toLong()).isEqualTo(10);

    StoredDocument d = await(s.load("crash"));
    assertThat(d.coveredId()).isEqualTo(r.coveredId());
    assertThat(d.entries()).isEmpty(); // covered entries are not returned twice
    assertThat(history(d)).containsExactlyElementsOf(sent);

    for (int i = 10; i < 13; i++) {
      sent.add(update(i, rnd));
      await(s.append("crash", sent.get(i), ORIGIN));
    }
    assertThat(history(await(s.load("crash")))).containsExactlyElementsOf(sent);

    // The next compaction merges the 3 new entries and trims all 13 (10 leftovers included).
    CompactionResult r2 = await(s.compact("crash"));
    assertThat(r2.status()).isEqualTo(CompactionResult.Status.COMPACTED);
    assertThat(r2.mergedUpdates()).isEqualTo(3);
    assertThat(r2.trimmed()).isEqualTo(13);
    assertThat(history(await(s.load("crash")))).containsExactlyElementsOf(sent);
    assertCountersMatchLog("crash");

    // Leftovers only (snapshot written, nothing new): a pass just trims.
    sent.add(update(13, rnd));
    await(s.append("crash", sent.get(13), ORIGIN));
    await(s.compact("crash", RedisDocumentStore.CommitMode.SNAPSHOT_ONLY));
    CompactionResult r3 = await(s.compact("crash"));
    assertThat(r3.status()).isEqualTo(CompactionResult.Status.TRIMMED);
    assertThat(r3.trimmed()).isEqualTo(1);
    assertThat(history(await(s.load("crash")))).containsExactlyElementsOf(sent);
    assertCountersMatchLog("crash");
    assertThat(await(s.compact("crash")).status()).isEqualTo(CompactionResult.Status.NOTHING);
  }

  @Test
  void staleCompactionIsRejected() {
    RedisDocumentStore s = store();
    Random rnd = new Random(3);
    for (int i = 0; i < 5; i++) {
      await(s.append("stale", update(i, rnd), ORIGIN));
    }
    // Two compactions read the same state; the merge of the first is held back until the second committed.
    Promise<Void> gate = Promise.promise();
    RedisDocumentStore slow = new RedisDocumentStore(vertx, redis, new StoreOptions(prefix, 1_000_000, 1L << 40, 10_000,
        Duration.ofSeconds(30)), in -> {
          await(gate.future());
          return TestMerge.merge(in);
        });
    Future<CompactionResult> first = slow.compact("stale");
    // Give the slow pass time to read.
    await(vertx.timer(200));
    assertThat(await(s.compact("stale")).status()).isEqualTo(CompactionResult.Status.COMPACTED);
    gate.complete();
    assertThat(await(first).status()).isEqualTo(CompactionResult.Status.CONFLICT);
    assertThat(history(await(s.load("stale")))).hasSize(5);

    // A compaction that read the document before it was deleted must not resurrect it.
    Promise<Void> gate2 = Promise.promise();
    RedisDocumentStore slow2 = new RedisDocumentStore(vertx, redis, new StoreOptions(prefix, 1_000_000, 1L << 40, 10_000,
        Duration.ofSeconds(30)), in -> {
          await(gate2.future());
          return TestMerge.merge(in);
        });
    await(s.append("stale2", update(1, rnd), ORIGIN));
    Future<CompactionResult> pending = slow2.compact("stale2");
    await(vertx.timer(200));
    await(s.delete("stale2"));
    await(s.append("stale2", update(2, rnd), ORIGIN));
    gate2.complete();
    assertThat(await(pending).status()).isEqualTo(CompactionResult.Status.CONFLICT);
    assertThat(history(await(s.load("stale2")))).hasSize(1);
  }

  @Test
  void automaticCompactionByBytes() throws Exception {
    RedisDocumentStore s = store(1_000_000, 1000, 10_000, Duration.ofSeconds(30));
    Random rnd = new Random(5);
    List<Buffer> sent = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      Buffer u = Buffer.buffer().appendByte((byte) 1).appendBytes(new byte[100]).appendInt(i);
      sent.add(u);
      await(s.append("bytes", u, ORIGIN));
    }
    while (s.compactionsInFlight() > 0) {
      Thread.sleep(10);
    }
    StoredDocument d = await(s.load("bytes"));
    assertThat(d.snapshot()).isNotNull();
    assertThat(d.entries().size()).isLessThan(40);
    assertThat(history(d)).containsExactlyElementsOf(sent);
  }

  @Test
  void listPaginatesByPrefixAndCursor() {
    RedisDocumentStore s = store();
    List<String> names = new ArrayList<>();
    for (int i = 0; i < 23; i++) {
      names.add(String.format("team/doc-%02d", i));
    }
    names.add("team/\u00e9t\u00e9");
    names.add("team/\uD83D\uDE00");
    for (String n : names) {
      await(s.append(n, Buffer.buffer(new byte[] {1, 2, 3}), ORIGIN));
    }
    await(s.append("team", Buffer.buffer(new byte[] {1}), ORIGIN));
    await(s.append("teams/other", Buffer.buffer(new byte[] {1}), ORIGIN));
    await(s.append("zzz", Buffer.buffer(new byte[] {1}), ORIGIN));

    List<String> seen = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      DocumentPage p = await(s.list("team/", cursor, 10));
      assertThat(p.documents().size()).isLessThanOrEqualTo(10);
      p.documents().forEach(d -> {
        seen.add(d.name());
        assertThat(d.sizeBytes()).isEqualTo(3);
        assertThat(d.logEntries()).isEqualTo(1);
        assertThat(d.lastChange()).isAfter(java.time.Instant.now().minusSeconds(60));
      });
      cursor = p.nextCursor();
      pages++;
    } while (cursor != null);
    assertThat(pages).isEqualTo(3);
    assertThat(seen).containsExactlyElementsOf(names); // UTF-8 byte order: digits < é < emoji

    assertThat(await(s.list("", null, 1000)).documents()).hasSize(names.size() + 3);
    assertThat(await(s.list("", null, 1000)).nextCursor()).isNull();
    DocumentPage exact = await(s.list("", null, 2));
    assertThat(exact.documents()).extracting(DocumentInfo::name).containsExactly("team", "team/doc-00");
    assertThat(exact.nextCursor()).isEqualTo("team/doc-00");
    assertThat(await(s.list("nothing", null, 10)).documents()).isEmpty();
    assertThatThrownBy(() -> await(s.list("", null, 0))).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void awarenessExpires() throws Exception {
    RedisDocumentStore s = store(1_000_000, 1L << 40, 10_000, Duration.ofMillis(1500));
    await(s.putAwareness("aw", 1, Buffer.buffer("{\"user\":\"a\"}")));
    await(s.putAwareness("aw", 2, Buffer.buffer(new byte[] {0, (byte) 0xff})));
    Map<Long, Buffer> m = await(s.getAwareness("aw"));
    assertThat(m).containsOnlyKeys(1L, 2L);
    assertThat(m.get(2L).getBytes()).containsExactly(0, 0xff);

    await(s.removeAwareness("aw", 1));
    assertThat(await(s.getAwareness("aw"))).containsOnlyKeys(2L);

    await(vertx.timer(700));
    await(s.putAwareness("aw", 3, Buffer.buffer("c"))); // refreshes the key, not client 2
    await(vertx.timer(900)); // client 2 is now >= 1600 ms old, client 3 >= 900 ms
    assertThat(await(s.getAwareness("aw"))).containsOnlyKeys(3L); // client 2 expired per entry
    long pttl = cmd(Request.cmd(Command.PTTL).arg(s.keys().awareness("aw"))).toLong();
    assertThat(pttl).isBetween(1L, 1500L);
    await(vertx.timer(1600));
    assertThat(await(s.getAwareness("aw"))).isEmpty();
    assertThat(cmd(Request.cmd(Command.EXISTS).arg(s.keys().awareness("aw"))).toLong()).isZero();
  }

  @Test
  void deleteRemovesEverything() {
    RedisDocumentStore s = store();
    await(s.append("gone", Buffer.buffer(new byte[] {1}), ORIGIN));
    await(s.append("gone", Buffer.buffer(new byte[] {2}), ORIGIN));
    await(s.compact("gone"));
    await(s.append("gone", Buffer.buffer(new byte[] {3}), ORIGIN));
    await(s.putAwareness("gone", 9, Buffer.buffer("x")));
    await(s.append("kept", Buffer.buffer(new byte[] {1}), ORIGIN));

    assertThat(await(s.delete("gone"))).isTrue();
    assertThat(await(s.load("gone")).isEmpty()).isTrue();
    assertThat(await(s.getAwareness("gone"))).isEmpty();
    assertThat(await(s.list("", null, 100)).documents()).extracting(DocumentInfo::name).containsExactly("kept");
    Response keys = cmd(Request.cmd(Command.KEYS).arg(prefix + ":{gone}*"));
    assertThat(keys.size()).isZero();
    assertThat(await(s.delete("gone"))).isFalse();
    assertThat(await(s.load("kept")).entries()).hasSize(1);
  }

  @Test
  void invalidNamesNeverReachRedis() {
    RedisDocumentStore s = store();
    assertThatThrownBy(() -> s.append("a{b}", Buffer.buffer("x"), ORIGIN)).isInstanceOf(InvalidDocumentNameException.class);
    assertThatThrownBy(() -> s.load("")).isInstanceOf(InvalidDocumentNameException.class);
  }

  @Test
  void streamIdArithmetic() {
    assertThat(RedisDocumentStore.nextId("5-0")).isEqualTo("5-1");
    assertThat(RedisDocumentStore.nextId("5-18446744073709551615")).isEqualTo("6-0");
    assertThat(RedisDocumentStore.compareIds("10-0", "9-99")).isPositive();
    assertThat(RedisDocumentStore.compareIds("9-2", "9-10")).isNegative();
    assertThat(RedisDocumentStore.compareIds("9-2", "9-2")).isZero();
  }
}
