package dev.tandem.crdt.differential;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * An unreliable-but-eventually-complete channel to one document: updates are {@link #send}
 * in emission order and come out of {@link #deliverSome} reordered, sometimes duplicated, and
 * sometimes held back for later rounds (so an update can arrive before the one it depends on,
 * exercising Yjs's pending structs / pending delete sets). {@link #deliverAll} flushes
 * everything still held.
 */
public final class DeliverySchedule<T> {
  private final Random rnd;
  private final double reorder;
  private final double duplicate;
  private final double delay;
  private final List<T> queue = new ArrayList<>();

  /**
   * @param reorder probability that a delivered batch is shuffled (else emission order)
   * @param duplicate probability that a delivered item is delivered a second time
   * @param delay probability that a queued item is held back in a {@link #deliverSome} round
   */
  public DeliverySchedule(Random rnd, double reorder, double duplicate, double delay) {
    this.rnd = rnd;
    this.reorder = reorder;
    this.duplicate = duplicate;
    this.delay = delay;
  }

  /** Reorder 50%, duplicate 10%, delay 30%. */
  public static <T> DeliverySchedule<T> chaotic(Random rnd) {
    return new DeliverySchedule<>(rnd, 0.5, 0.1, 0.3);
  }

  /** In order, exactly once, nothing held back. */
  public static <T> DeliverySchedule<T> inOrder(Random rnd) {
    return new DeliverySchedule<>(rnd, 0, 0, 0);
  }

  public void send(T item) {
    queue.add(item);
  }

  public int pending() {
    return queue.size();
  }

  /** Items to deliver now; held-back items stay queued. */
  public List<T> deliverSome() {
    List<T> now = new ArrayList<>();
    List<T> later = new ArrayList<>();
    for (T item : queue) {
      (rnd.nextDouble() < delay ? later : now).add(item);
    }
    queue.clear();
    queue.addAll(later);
    return shape(now);
  }

  /** Everything still queued (reordered/duplicated as configured); the queue ends empty. */
  public List<T> deliverAll() {
    List<T> now = new ArrayList<>(queue);
    queue.clear();
    return shape(now);
  }

  private List<T> shape(List<T> items) {
    List<T> out = new ArrayList<>(items);
    if (rnd.nextDouble() < reorder) {
      Collections.shuffle(out, rnd);
    }
    for (T item : items) {
      if (rnd.nextDouble() < duplicate) {
        out.add(rnd.nextInt(out.size() + 1), item);
      }
    }
    return out;
  }
}
