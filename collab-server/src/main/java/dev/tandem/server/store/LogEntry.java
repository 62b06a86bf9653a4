package dev.tandem.server.store;

import io.vertx.core.buffer.Buffer;

/** One entry of a document's update log: its stream id, the raw Yjs update and where it came from. */
public record LogEntry(String id, Buffer update, String node, String connection) {}
