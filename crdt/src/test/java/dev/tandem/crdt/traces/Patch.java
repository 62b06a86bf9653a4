package dev.tandem.crdt.traces;

/** One edit: at {@code pos}, delete {@code del} units, then insert {@code ins}. */
public record Patch(int pos, int del, String ins) {}
