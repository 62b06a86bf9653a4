package dev.tandem.crdt.cli;

/** A failure the CLI reports as one line on stderr, with its exit status. */
final class CliException extends RuntimeException {
  static final int DATA = 1;
  static final int USAGE = 2;

  final int status;

  CliException(int status, String message) {
    super(message, null, false, false);
    this.status = status;
  }

  static CliException usage(String message) {
    return new CliException(USAGE, message);
  }

  static CliException data(String message) {
    return new CliException(DATA, message);
  }
}
