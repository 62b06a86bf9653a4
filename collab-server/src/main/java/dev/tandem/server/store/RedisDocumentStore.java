package dev.tandem.server.store;

import dev.tandem.server.DocumentNames;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Durable per-document storage in Redis: an append-only update log (Stream), a compacted snapshot,
 * awareness states with expiry, and a document index. Every method is asynchronous
 * (vertx-redis-client) and safe to call from any event loop; nothing here blocks. Key layout:
 * {@link RedisKeys} and docs/redis.md.
 *
 * <p><b>Durability.</b> {@link #append} completes only once Redis has executed the XADD (and, with
 * {@code appendfsync always}, written it to disk). <b>Ordering.</b> The stream id is the order of
 * record; appends issued concurrently (without waiting for each other) may be recorded in any order,
 * which is harmless for Yjs updates; a caller that needs its order kept chains its appends.
 *
 * <p><b>Compaction.</b> When an append pushes the log past {@code compactionMaxEntries} or
 * {@code compactionMaxBytes}, a compaction pass starts in the background (at most one per document
 * per store): one atomic read of snapshot + log head, the injected merge function run on a worker
 * thread (never on an event loop), then one Lua script that writes the new snapshot and its covered
 * stream id and trims exactly the entries up to that id, only if the snapshot is still the one that
 * was read. Writers are never blocked (XADD keeps appending past the read point; those entries have
 * larger ids and stay). A crash between any two steps loses nothing: readers always take the
 * snapshot plus the entries with ids strictly greater than its covered id.
 */
public final class RedisDocumentStore {
  private static final Logger LOG = Logger.getLogger(RedisDocumentStore.class.getName());

  /** How a compaction commits; anything but {@link #SNAPSHOT_AND_TRIM} exists for crash tests. */
  enum CommitMode {
    SNAPSHOT_AND_TRIM("both"),
    SNAPSHOT_ONLY("snap");

    final String lua;

    CommitMode(String lua) {
      this.lua = lua;
    }
  }

  private final Vertx vertx;
  private final Redis redis;
  private final RedisKeys keys;
  private final StoreOptions options;
  private final Function<List<byte[]>, byte[]> merge;
  private final Map<String, AtomicBoolean> compacting = new ConcurrentHashMap<>();

  /**
   * @param merge merges a list of Yjs updates (snapshot first, then log entries in order) into one;
   *     it runs on a worker thread and may be slow; it must be deterministic and must keep everything
   *     its inputs contain (the CRDT's {@code mergeUpdates})
   */
  public RedisDocumentStore(Vertx vertx, Redis redis, StoreOptions options, Function<List<byte[]>, byte[]> merge) {
    this.vertx = Objects.requireNonNull(vertx);
    this.redis = Objects.requireNonNull(redis);
    this.options = Objects.requireNonNull(options);
    this.merge = Objects.requireNonNull(merge);
    this.keys = new RedisKeys(options.keyPrefix());
  }

  public RedisKeys keys() {
    return keys;
  }

  // --- log ----------------------------------------------------------------------------------

  /**
   * Appends one update to the document's log. Completes with the stream id once Redis accepted it;
   * fails (and nothing is acknowledged) otherwise. May start a background compaction.
   */
  public Future<String> append(String doc, Buffer update, UpdateOrigin origin) {
    return appendAll(doc, List.of(update), List.of(origin));
  }

  /**
   * Appends several updates of one document, in order, with one script call (one round trip, one
   * atomic step: each update is its own log entry). Completes with the id of the last entry once
   * Redis accepted all of them; fails otherwise (nothing of the batch may be acknowledged; a retry
   * may duplicate entries when the failed call still executed, or when only the index ZADD riding
   * with it failed; Yjs tolerates duplicates). May start a
   * background compaction.
   */
  public Future<String> appendAll(String doc, List<Buffer> updates, List<UpdateOrigin> origins) {
    DocumentNames.validate(doc);
    if (updates.isEmpty() || updates.size() != origins.size()) {
      throw new IllegalArgumentException("one origin per update, at least one update");
    }
    List<Object> args = new ArrayList<>(3 * updates.size());
    for (int i = 0; i < updates.size(); i++) {
      UpdateOrigin o = origins.get(i);
      args.add(updates.get(i));
      args.add(o.node());
      args.add(o.connection());
    }
    // The index lives in another slot, so it cannot join the script; ZADD is idempotent and cheap and
    // rides in the same pipelined batch (one pooled connection, one round trip).
    Request index = Request.cmd(Command.ZADD).arg(keys.index()).arg(0).arg(utf8(doc));
    return Scripts.APPEND.runThen(redis, List.of(keys.log(doc), keys.meta(doc)), args, index).map(replies -> {
      Response r = replies.get(0);
      String id = r.get(0).toString();
      maybeCompact(doc, r.get(1).toLong(), r.get(2).toLong());
      return id;
    });
  }

  /** Reads snapshot + every later log entry in one atomic step. An unknown document is empty. */
  public Future<StoredDocument> load(String doc) {
    DocumentNames.validate(doc);
    return Scripts.LOAD.run(redis, List.of(keys.snapshot(doc), keys.log(doc)), List.of()).map(r -> {
      Buffer snapshot = r.get(0) == null ? null : r.get(0).toBuffer();
      String covered = r.get(1) == null ? null : r.get(1).toString();
      return new StoredDocument(snapshot, covered, entries(r.get(2)));
    });
  }

  /** Deletes every key of the document and its index entry. Completes with whether it existed. */
  public Future<Boolean> delete(String doc) {
    DocumentNames.validate(doc);
    Future<Response> del = redis.send(Request.cmd(Command.DEL).arg(keys.log(doc)).arg(keys.snapshot(doc))
        .arg(keys.meta(doc)).arg(keys.awareness(doc)));
    Future<Response> zrem = redis.send(Request.cmd(Command.ZREM).arg(keys.index()).arg(utf8(doc)));
    return Future.all(del, zrem).map(ignored -> del.result().toLong() > 0 || zrem.result().toLong() > 0);
  }

  // --- index --------------------------------------------------------------------------------

  /**
   * Lists documents whose name starts with {@code prefix}, in UTF-8 byte order, after
   * {@code cursor} (exclusive; null = from the start), at most {@code limit} (1..1000).
   */
  public Future<DocumentPage> list(String prefix, String cursor, int limit) {
    if (limit < 1 || limit > 1000) {
      return Future.failedFuture(new IllegalArgumentException("limit must be 1..1000, got " + limit));
    }
    byte[] p = utf8(prefix == null ? "" : prefix);
    Buffer min;
    if (cursor != null && Arrays.compareUnsigned(utf8(cursor), p) >= 0) {
      min = Buffer.buffer("(").appendBytes(utf8(cursor));
    } else {
      min = Buffer.buffer("[").appendBytes(p);
    }
    // 0xFF never occurs in UTF-8, so every name starting with the prefix sorts below prefix+0xFF.
    Buffer max = p.length == 0 ? Buffer.buffer("+") : Buffer.buffer("(").appendBytes(p).appendByte((byte) 0xff);
    Request range = Request.cmd(Command.ZRANGEBYLEX).arg(keys.index()).arg(min).arg(max)
        .arg("LIMIT").arg(0).arg(limit + 1);
    return redis.send(range).compose(r -> {
      List<String> names = new ArrayList<>();
      for (Response n : r) {
        names.add(n.toString(StandardCharsets.UTF_8));
      }
      boolean more = names.size() > limit;
      List<String> page = more ? names.subList(0, limit) : names;
      List<Future<Response>> metas = new ArrayList<>();
      for (String n : page) {
        metas.add(redis.send(Request.cmd(Command.HMGET).arg(keys.meta(n))
            .arg("logBytes").arg("snapBytes").arg("logEntries").arg("changed")));
      }
      return Future.all(metas).map(all -> {
        List<DocumentInfo> infos = new ArrayList<>();
        for (int i = 0; i < page.size(); i++) {
          Response m = metas.get(i).result();
          if (m.get(3) == null) {
            continue; // deleted between the two reads
          }
          infos.add(new DocumentInfo(page.get(i), num(m.get(0)) + num(m.get(1)), num(m.get(2)),
              Instant.ofEpochMilli(num(m.get(3)))));
        }
        return new DocumentPage(infos, more ? page.get(page.size() - 1) : null);
      });
    });
  }

  // --- awareness ----------------------------------------------------------------------------

  /** Stores (or refreshes) one client's awareness state; it expires after the awareness TTL. */
  public Future<Void> putAwareness(String doc, long clientId, Buffer state) {
    DocumentNames.validate(doc);
    return Scripts.AWARENESS_PUT.run(redis, List.of(keys.awareness(doc)),
        List.of(Long.toString(clientId), state, options.awarenessTtl().toMillis())).mapEmpty();
  }

  /** Every unexpired awareness state of the document, by Yjs client id. */
  public Future<Map<Long, Buffer>> getAwareness(String doc) {
    DocumentNames.validate(doc);
    return Scripts.AWARENESS_GET.run(redis, List.of(keys.awareness(doc)), List.of()).map(r -> {
      Map<Long, Buffer> out = new HashMap<>();
      for (int i = 0; i + 1 < r.size(); i += 2) {
        out.put(Long.parseLong(r.get(i).toString()), r.get(i + 1).toBuffer());
      }
      return out;
    });
  }

  public Future<Void> removeAwareness(String doc, long clientId) {
    DocumentNames.validate(doc);
    return redis.send(Request.cmd(Command.HDEL).arg(keys.awareness(doc)).arg("s:" + clientId).arg("e:" + clientId))
        .mapEmpty();
  }

  // --- compaction ---------------------------------------------------------------------------

  /** Number of compactions this store is running now. */
  public int compactionsInFlight() {
    return compacting.size();
  }

  private void maybeCompact(String doc, long logEntries, long logBytes) {
    if (logEntries <= options.compactionMaxEntries() && logBytes <= options.compactionMaxBytes()) {
      return;
    }
    AtomicBoolean again = new AtomicBoolean();
    AtomicBoolean running = compacting.putIfAbsent(doc, again);
    if (running != null) {
      // appends (batched: one call may carry many updates) crossed the threshold while a pass runs:
      // run one more pass after it, so compaction keeps up with a fast writer
      running.set(true);
      return;
    }
    runCompaction(doc, again);
  }

  private void runCompaction(String doc, AtomicBoolean again) {
    compact(doc, CommitMode.SNAPSHOT_AND_TRIM).onComplete(ar -> {
      if (ar.failed()) {
        LOG.log(Level.WARNING, "compaction of " + doc + " failed; the log is intact and will be compacted later", ar.cause());
      } else {
        LOG.fine(() -> "compaction of " + doc + ": " + ar.result());
        if (again.getAndSet(false)) {
          runCompaction(doc, again);
          return;
        }
      }
      compacting.remove(doc);
    });
  }

  /** Runs one compaction pass now (also when under the thresholds). */
  public Future<CompactionResult> compact(String doc) {
    return compact(doc, CommitMode.SNAPSHOT_AND_TRIM);
  }

  Future<CompactionResult> compact(String doc, CommitMode mode) {
    DocumentNames.validate(doc);
    List<String> readKeys = List.of(keys.snapshot(doc), keys.log(doc));
    return Scripts.READ_FOR_COMPACTION.run(redis, readKeys, List.of(options.compactionBatch())).compose(r -> {
      Buffer snapshot = r.get(0) == null ? null : r.get(0).toBuffer();
      String covered = r.get(1) == null ? null : r.get(1).toString();
      String version = r.get(2) == null ? "0" : r.get(2).toString();
      List<LogEntry> all = entries(r.get(3));

      // Entries at or below the covered id are already in the snapshot (left by an interrupted commit).
      long removedBytes = 0;
      List<LogEntry> fresh = new ArrayList<>();
      for (LogEntry e : all) {
        removedBytes += e.update().length();
        if (covered == null || compareIds(e.id(), covered) > 0) {
          fresh.add(e);
        }
      }
      int leftovers = all.size() - fresh.size();
      List<String> commitKeys = List.of(keys.snapshot(doc), keys.log(doc), keys.meta(doc));
      if (fresh.isEmpty()) {
        if (leftovers == 0 || mode != CommitMode.SNAPSHOT_AND_TRIM) {
          return Future.succeededFuture(new CompactionResult(CompactionResult.Status.NOTHING, covered, 0, 0));
        }
        String lastLeft = all.get(all.size() - 1).id();
        return Scripts.COMMIT_COMPACTION.run(redis, commitKeys,
                List.of("trim", version, covered, nextId(lastLeft), leftovers, removedBytes))
            .map(c -> result(c, CompactionResult.Status.TRIMMED, covered, 0));
      }

      String newCovered = fresh.get(fresh.size() - 1).id();
      List<byte[]> inputs = new ArrayList<>(fresh.size() + 1);
      if (snapshot != null) {
        inputs.add(snapshot.getBytes());
      }
      for (LogEntry e : fresh) {
        inputs.add(e.update().getBytes());
      }
      long bytes = removedBytes;
      int count = all.size();
      return vertx.executeBlocking(() -> merge.apply(inputs), false).compose(merged ->
          Scripts.COMMIT_COMPACTION.run(redis, commitKeys,
                  List.of(mode.lua, version, newCovered, nextId(newCovered), count, bytes, Buffer.buffer(merged)))
              .map(c -> result(c, CompactionResult.Status.COMPACTED, newCovered, fresh.size())));
    });
  }

  private static CompactionResult result(Response c, CompactionResult.Status ok, String covered, int merged) {
    if (c.get(0).toLong() == 0) {
      return new CompactionResult(CompactionResult.Status.CONFLICT, null, 0, 0);
    }
    return new CompactionResult(ok, covered, merged, c.get(1).toLong());
  }

  // --- helpers ------------------------------------------------------------------------------

  private static List<LogEntry> entries(Response xrange) {
    List<LogEntry> out = new ArrayList<>(xrange == null ? 0 : xrange.size());
    if (xrange == null) {
      return out;
    }
    for (Response e : xrange) {
      String id = e.get(0).toString();
      Response fields = e.get(1);
      Buffer u = null;
      String n = "";
      String c = "";
      for (int i = 0; i + 1 < fields.size(); i += 2) {
        String f = fields.get(i).toString();
        Response v = fields.get(i + 1);
        switch (f) {
          case "u" -> u = v.toBuffer();
          case "n" -> n = v.toString();
          case "c" -> c = v.toString();
          default -> { }
        }
      }
      out.add(new LogEntry(id, u == null ? Buffer.buffer() : u, n, c));
    }
    return out;
  }

  private static long num(Response r) {
    return r == null ? 0 : Long.parseLong(r.toString());
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** Orders stream ids ({@code ms-seq}, both unsigned 64-bit). */
  static int compareIds(String a, String b) {
    int da = a.indexOf('-');
    int db = b.indexOf('-');
    int c = Long.compareUnsigned(Long.parseUnsignedLong(a.substring(0, da)), Long.parseUnsignedLong(b.substring(0, db)));
    if (c != 0) {
      return c;
    }
    return Long.compareUnsigned(Long.parseUnsignedLong(a.substring(da + 1)), Long.parseUnsignedLong(b.substring(db + 1)));
  }

  /**
   * The smallest stream id greater than {@code id}: XTRIM MINID keeps ids {@code >=} its argument,
   * so trimming with {@code nextId(covered)} removes exactly the entries {@code <= covered}.
   */
  static String nextId(String id) {
    int d = id.indexOf('-');
    long ms = Long.parseUnsignedLong(id.substring(0, d));
    long seq = Long.parseUnsignedLong(id.substring(d + 1));
    if (seq == -1L) {
      return Long.toUnsignedString(ms + 1) + "-0";
    }
    return Long.toUnsignedString(ms) + "-" + Long.toUnsignedString(seq + 1);
  }
}
