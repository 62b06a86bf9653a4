package dev.tandem.load;

import static org.assertj.core.api.Assertions.assertThat;

/** What every smoke run must show, whatever the server: all clients in, nothing lost or doubled. */
final class LoadAssertions {
  private LoadAssertions() {}

  /** @param clients the run's documents x clients per document */
  static void assertNothingLost(LoadReport report, int clients) {
    System.err.print(report.toTable());
    assertThat(report.failures).isEmpty();
    assertThat(report.clientsConnected).isEqualTo(clients);
    assertThat(report.updatesSent).isPositive();
    assertThat(report.expectedDeliveries).isEqualTo(report.updatesSent * (report.clientsPerDocument - 1));
    assertThat(report.missingDeliveries).isZero();
    assertThat(report.duplicateDeliveries).isZero();
    assertThat(report.foreignInserts).isZero();
    assertThat(report.latencySamples).isPositive();
    assertThat(report.passed).isTrue();
  }
}
