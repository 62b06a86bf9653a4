package dev.tandem.load;

import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Run-wide delivery bookkeeping shared by every client: who sent what when, the latency histogram
 * of measured deliveries (one sample per update and receiver) and anomaly counters.
 */
final class Deliveries {
  final Map<Long, Typist> byYjsClient;
  /** Updates sent in [measureStart, measureEnd) are timed; the others (warm-up) only counted. */
  volatile long measureStartNanos = Long.MAX_VALUE;
  volatile long measureEndNanos = Long.MAX_VALUE;

  /** Latency in nanoseconds; auto-resizing, 3 significant digits. */
  private final Recorder latency = new Recorder(3);
  final LongAdder delivered = new LongAdder();
  final LongAdder deliveredMeasured = new LongAdder();
  final LongAdder duplicates = new LongAdder();
  final LongAdder foreign = new LongAdder();
  final LongAdder echoes = new LongAdder();
  final LongAdder viaSyncStep2 = new LongAdder();
  final LongAdder framesReceived = new LongAdder();
  final LongAdder bytesReceived = new LongAdder();
  final LongAdder bytesSent = new LongAdder();
  final LongAdder writeQueueFull = new LongAdder();

  Deliveries(Map<Long, Typist> byYjsClient) {
    this.byYjsClient = byYjsClient;
  }

  void recordLatency(long nanos) {
    latency.recordValue(Math.max(0, nanos));
  }

  Histogram latencyHistogram() {
    return latency.getIntervalHistogram();
  }

  boolean measured(long sendNanos) {
    return sendNanos >= measureStartNanos && sendNanos < measureEndNanos;
  }
}
