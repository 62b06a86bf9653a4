package dev.tandem.crdt.cli;

/**
 * Entry point of {@code java -jar crdt/target/tandem-crdt.jar <command>}; see {@link Cli} and
 * the README for the commands. Exit status: 0 success, 1 bad data or failure, 2 usage error.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    int status = new Cli(System.out, System.err).run(args);
    System.out.flush();
    System.exit(status);
  }
}
