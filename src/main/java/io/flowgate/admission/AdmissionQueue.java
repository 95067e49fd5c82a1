package io.flowgate.admission;

import io.flowgate.store.Priority;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The bounded admission queue: one lane per priority, drained by smooth weighted round robin
 * (higher lanes drain first, lower lanes are never starved), and inside each lane one FIFO per
 * project served round robin. Once the queue is more than {@code fairShareFrom} full, a project
 * holding {@code capacity / (active projects + 1)} entries is refused, so one project flooding
 * cannot keep the others out. All operations are short and non-blocking.
 */
public final class AdmissionQueue {

  /** Why an offer was refused, or that it was accepted. */
  public enum Offer {
    ACCEPTED,
    FULL,
    PROJECT_SHARE_EXCEEDED
  }

  private static final int[] WEIGHTS = {16, 8, 4, 2, 1};

  private final int capacity;
  private final double fairShareFrom;
  private final Lane[] lanes = new Lane[WEIGHTS.length];
  private final int[] current = new int[WEIGHTS.length];
  private final Map<Long, Integer> heldByProject = new HashMap<>();
  private int size;

  public AdmissionQueue(int capacity, double fairShareFrom) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1");
    }
    this.capacity = capacity;
    this.fairShareFrom = fairShareFrom;
    for (int i = 0; i < lanes.length; i++) {
      lanes[i] = new Lane();
    }
  }

  public synchronized Offer offer(Ticket ticket) {
    if (size >= capacity) {
      return Offer.FULL;
    }
    long project = ticket.command().projectCode();
    int held = heldByProject.getOrDefault(project, 0);
    if (size >= capacity * fairShareFrom && held >= fairShare(held == 0)) {
      return Offer.PROJECT_SHARE_EXCEEDED;
    }
    lanes[ticket.command().priority().ordinal()].add(project, ticket);
    heldByProject.merge(project, 1, Integer::sum);
    size++;
    return Offer.ACCEPTED;
  }

  private int fairShare(boolean newcomer) {
    int active = heldByProject.size() + (newcomer ? 1 : 0);
    return Math.max(1, capacity / (active + 1));
  }

  /** Takes up to {@code max} tickets in drain order. */
  public synchronized List<Ticket> poll(int max) {
    List<Ticket> taken = new ArrayList<>(Math.min(max, size));
    while (taken.size() < max && size > 0) {
      Ticket ticket = lanes[nextLane()].poll();
      removed(ticket);
      taken.add(ticket);
    }
    return taken;
  }

  /** Removes and returns the tickets that were enqueued before {@code deadlineNanos}. */
  public synchronized List<Ticket> removeEnqueuedBefore(long deadlineNanos) {
    return removeWhere(ticket -> ticket.enqueuedAtNanos() - deadlineNanos < 0);
  }

  /** Removes everything, for shutdown. */
  public synchronized List<Ticket> clear() {
    return removeWhere(ticket -> true);
  }

  private List<Ticket> removeWhere(Predicate<Ticket> expired) {
    List<Ticket> removed = new ArrayList<>();
    for (Lane lane : lanes) {
      lane.removeHeads(expired, removed);
    }
    removed.forEach(this::removed);
    return removed;
  }

  private void removed(Ticket ticket) {
    size--;
    heldByProject.computeIfPresent(ticket.command().projectCode(), (p, n) -> n == 1 ? null : n - 1);
  }

  // smooth weighted round robin over the non-empty lanes
  private int nextLane() {
    int total = 0;
    int best = -1;
    for (int i = 0; i < lanes.length; i++) {
      if (lanes[i].isEmpty()) {
        continue;
      }
      current[i] += WEIGHTS[i];
      total += WEIGHTS[i];
      if (best < 0 || current[i] > current[best]) {
        best = i;
      }
    }
    current[best] -= total;
    return best;
  }

  public synchronized int size() {
    return size;
  }

  public int capacity() {
    return capacity;
  }

  public synchronized int depth(Priority lane) {
    return lanes[lane.ordinal()].size;
  }

  /** One priority lane: a FIFO per project, served round robin. */
  private static final class Lane {
    private final Map<Long, ArrayDeque<Ticket>> byProject = new HashMap<>();
    private final ArrayDeque<Long> turn = new ArrayDeque<>();
    private int size;

    void add(long project, Ticket ticket) {
      ArrayDeque<Ticket> fifo = byProject.get(project);
      if (fifo == null) {
        fifo = new ArrayDeque<>();
        byProject.put(project, fifo);
        turn.addLast(project);
      }
      fifo.addLast(ticket);
      size++;
    }

    boolean isEmpty() {
      return size == 0;
    }

    Ticket poll() {
      Long project = turn.pollFirst();
      ArrayDeque<Ticket> fifo = byProject.get(project);
      Ticket ticket = fifo.pollFirst();
      if (fifo.isEmpty()) {
        byProject.remove(project);
      } else {
        turn.addLast(project);
      }
      size--;
      return ticket;
    }

    // each FIFO is in enqueue order, so the expired tickets are at its head
    void removeHeads(Predicate<Ticket> expired, List<Ticket> into) {
      var it = byProject.entrySet().iterator();
      while (it.hasNext()) {
        var entry = it.next();
        ArrayDeque<Ticket> fifo = entry.getValue();
        while (!fifo.isEmpty() && expired.test(fifo.peekFirst())) {
          into.add(fifo.pollFirst());
          size--;
        }
        if (fifo.isEmpty()) {
          it.remove();
          turn.remove(entry.getKey());
        }
      }
    }
  }
}
