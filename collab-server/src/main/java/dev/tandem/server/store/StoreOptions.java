package dev.tandem.server.store;

import dev.tandem.server.config.ServerConfig;
import java.time.Duration;

/**
 * Store settings.
 *
 * @param keyPrefix prefix of every key
 * @param compactionMaxEntries compact when the log holds more entries than this
 * @param compactionMaxBytes compact when the log holds more bytes than this
 * @param compactionBatch at most this many log entries are merged in one compaction pass
 * @param awarenessTtl lifetime of an awareness state without refresh
 */
public record StoreOptions(String keyPrefix, long compactionMaxEntries, long compactionMaxBytes,
    int compactionBatch, Duration awarenessTtl) {

  public static final int DEFAULT_COMPACTION_BATCH = 10_000;

  public static StoreOptions from(ServerConfig c) {
    return new StoreOptions(c.keyPrefix(), c.compactionMaxEntries(), c.compactionMaxBytes(),
        DEFAULT_COMPACTION_BATCH, c.awarenessTtl());
  }
}
