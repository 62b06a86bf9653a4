package dev.tandem.server.store;

/**
 * The store's Lua scripts. All are Redis 6.2 compatible, touch only keys of one document (one
 * cluster slot), and use Redis' own clock ({@code TIME}) so nodes need not agree on time.
 * {@code redis.replicate_commands()} makes effect replication explicit (the default since Redis 5;
 * a no-op in 7).
 */
final class Scripts {
  private Scripts() {}

  private static final String NOW = """
      local t = redis.call('TIME')
      local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
      """;

  /**
   * KEYS: log, meta. ARGV: (update, node, connection) for each of one or more updates, in order. Each
   * update becomes its own log entry (one XADD each, in ARGV order); the meta hash is updated once.
   * Returns {id of the last entry, logEntries, logBytes}.
   */
  static final LuaScript APPEND = new LuaScript("""
      redis.replicate_commands()
      """ + NOW + """
      local id
      local bytes = 0
      local n = 0
      for i = 1, #ARGV, 3 do
        id = redis.call('XADD', KEYS[1], '*', 'u', ARGV[i], 'n', ARGV[i + 1], 'c', ARGV[i + 2])
        bytes = bytes + #ARGV[i]
        n = n + 1
      end
      local entries = redis.call('HINCRBY', KEYS[2], 'logEntries', n)
      local total = redis.call('HINCRBY', KEYS[2], 'logBytes', bytes)
      redis.call('HSET', KEYS[2], 'changed', string.format('%.0f', now))
      redis.call('HSETNX', KEYS[2], 'created', string.format('%.0f', now))
      return {id, entries, total}
      """);

  /**
   * Consistent read of a document. KEYS: snap, log. Returns {snapshot|nil, coveredId|nil, entries}
   * where entries are the log entries with id strictly greater than coveredId (all when no snapshot).
   */
  static final LuaScript LOAD = new LuaScript("""
      local snap = redis.call('HMGET', KEYS[1], 's', 'id')
      local from = '-'
      if snap[2] then from = '(' .. snap[2] end
      return {snap[1], snap[2], redis.call('XRANGE', KEYS[2], from, '+')}
      """);

  /**
   * Consistent read for compaction. KEYS: snap, log. ARGV: max entries. Returns
   * {snapshot|nil, coveredId|nil, version|nil, entries from the start of the log (COUNT max)}.
   */
  static final LuaScript READ_FOR_COMPACTION = new LuaScript("""
      local snap = redis.call('HMGET', KEYS[1], 's', 'id', 'v')
      return {snap[1], snap[2], snap[3], redis.call('XRANGE', KEYS[2], '-', '+', 'COUNT', ARGV[1])}
      """);

  /**
   * Commit of a compaction. KEYS: snap, log, meta. ARGV: mode ('both' | 'snap' | 'trim'),
   * expected snapshot version ('0' when none), covered id, trim MINID (first id NOT removed),
   * removed entry count, removed bytes, [new snapshot].
   *
   * <p>Aborts with {0, reason} when the snapshot changed since it was read (version) or, when a new
   * snapshot is written, when the covered entry is no longer in the log (document deleted meanwhile).
   * 'snap' writes the snapshot without trimming (a crash between the two steps, for tests); 'trim'
   * only trims entries an existing snapshot already covers. Returns {1, trimmed count}.
   */
  static final LuaScript COMMIT_COMPACTION = new LuaScript("""
      redis.replicate_commands()
      local mode = ARGV[1]
      local v = redis.call('HGET', KEYS[1], 'v') or '0'
      if v ~= ARGV[2] then return {0, 'snapshot changed'} end
      if mode ~= 'trim' then
        if #redis.call('XRANGE', KEYS[2], ARGV[3], ARGV[3]) == 0 then return {0, 'log changed'} end
      """ + NOW + """
        redis.call('HSET', KEYS[1], 's', ARGV[7], 'id', ARGV[3], 'at', string.format('%.0f', now))
        redis.call('HSET', KEYS[3], 'snapBytes', #ARGV[7])
      end
      redis.call('HINCRBY', KEYS[1], 'v', 1)
      local trimmed = 0
      if mode ~= 'snap' then
        trimmed = redis.call('XTRIM', KEYS[2], 'MINID', ARGV[4])
        redis.call('HINCRBY', KEYS[3], 'logEntries', -tonumber(ARGV[5]))
        redis.call('HINCRBY', KEYS[3], 'logBytes', -tonumber(ARGV[6]))
      end
      return {1, trimmed}
      """);

  /** KEYS: awareness. ARGV: clientId, state, ttl ms. */
  static final LuaScript AWARENESS_PUT = new LuaScript("""
      redis.replicate_commands()
      """ + NOW + """
      local ttl = tonumber(ARGV[3])
      redis.call('HSET', KEYS[1], 's:' .. ARGV[1], ARGV[2], 'e:' .. ARGV[1], string.format('%.0f', now + ttl))
      redis.call('PEXPIRE', KEYS[1], ttl)
      return 1
      """);

  /** KEYS: awareness. Returns {clientId, state, ...} of unexpired states; deletes expired ones. */
  static final LuaScript AWARENESS_GET = new LuaScript("""
      redis.replicate_commands()
      """ + NOW + """
      local all = redis.call('HGETALL', KEYS[1])
      local states = {}
      local expiry = {}
      for i = 1, #all, 2 do
        local f = all[i]
        if string.sub(f, 1, 2) == 's:' then states[string.sub(f, 3)] = all[i + 1]
        elseif string.sub(f, 1, 2) == 'e:' then expiry[string.sub(f, 3)] = tonumber(all[i + 1]) end
      end
      local out = {}
      for id, state in pairs(states) do
        local e = expiry[id]
        if e and e > now then
          table.insert(out, id)
          table.insert(out, state)
        else
          redis.call('HDEL', KEYS[1], 's:' .. id, 'e:' .. id)
        end
      end
      return out
      """);
}
