package io.flowgate.admission;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowgate.store.FailureStrategy;
import io.flowgate.store.Priority;
import io.flowgate.store.StartCommand;
import io.flowgate.store.StartOptions;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class AdmissionQueueTest {

  private long ids;

  private Ticket ticket(long project, Priority priority, long enqueuedAt) {
    StartCommand command =
        new StartCommand(
            UUID.randomUUID(),
            project,
            1,
            1,
            "k" + ids,
            false,
            "f",
            new StartOptions(Map.of(), priority, FailureStrategy.END, null, null, false),
            null,
            null,
            null,
            null);
    return new Ticket(ids++, command, enqueuedAt);
  }

  @Test
  void refusesWhenFull() {
    AdmissionQueue queue = new AdmissionQueue(2, 1.0);
    assertThat(queue.offer(ticket(1, Priority.MEDIUM, 0))).isEqualTo(AdmissionQueue.Offer.ACCEPTED);
    assertThat(queue.offer(ticket(2, Priority.MEDIUM, 0))).isEqualTo(AdmissionQueue.Offer.ACCEPTED);
    assertThat(queue.offer(ticket(3, Priority.MEDIUM, 0))).isEqualTo(AdmissionQueue.Offer.FULL);
    assertThat(queue.size()).isEqualTo(2);
  }

  @Test
  void higherLanesDrainFirstButLowerLanesAreNotStarved() {
    AdmissionQueue queue = new AdmissionQueue(1000, 1.0);
    for (int i = 0; i < 100; i++) {
      queue.offer(ticket(1, Priority.HIGHEST, 0));
      queue.offer(ticket(1, Priority.LOWEST, 0));
    }
    List<Ticket> first = queue.poll(34);
    long highest = first.stream().filter(t -> t.command().priority() == Priority.HIGHEST).count();
    long lowest = first.size() - highest;
    assertThat(highest).isGreaterThan(lowest);
    assertThat(lowest).isPositive();
  }

  @Test
  void projectsAreServedRoundRobinWithinALane() {
    AdmissionQueue queue = new AdmissionQueue(100, 1.0);
    for (int i = 0; i < 10; i++) {
      queue.offer(ticket(1, Priority.MEDIUM, 0));
    }
    queue.offer(ticket(2, Priority.MEDIUM, 0));
    List<Ticket> two = queue.poll(2);
    assertThat(two).extracting(t -> t.command().projectCode()).containsExactly(1L, 2L);
  }

  @Test
  void aFloodingProjectCannotTakeTheWholeQueue() {
    AdmissionQueue queue = new AdmissionQueue(100, 0.5);
    int accepted = 0;
    for (int i = 0; i < 100; i++) {
      if (queue.offer(ticket(1, Priority.MEDIUM, 0)) == AdmissionQueue.Offer.ACCEPTED) {
        accepted++;
      }
    }
    assertThat(accepted).isLessThan(100);
    assertThat(queue.offer(ticket(2, Priority.MEDIUM, 0))).isEqualTo(AdmissionQueue.Offer.ACCEPTED);
  }

  @Test
  void expiredTicketsAreRemovedOldestFirst() {
    AdmissionQueue queue = new AdmissionQueue(10, 1.0);
    Ticket old = ticket(1, Priority.MEDIUM, 100);
    Ticket fresh = ticket(1, Priority.MEDIUM, 500);
    queue.offer(old);
    queue.offer(fresh);
    assertThat(queue.removeEnqueuedBefore(300)).containsExactly(old);
    assertThat(queue.size()).isOne();
    assertThat(queue.poll(5)).containsExactly(fresh);
  }

  @Test
  void drainRateTurnsQueueDepthIntoRetryAfter() {
    DrainRate rate = new DrainRate(0);
    assertThat(rate.retryAfterSeconds(100)).isEqualTo(30);
    for (int second = 1; second <= 20; second++) {
      rate.record(1000, second * 1_000_000_000L);
    }
    assertThat(rate.perSecond()).isBetween(900.0, 1000.0);
    assertThat(rate.retryAfterSeconds(5000)).isBetween(5L, 6L);
    assertThat(rate.retryAfterSeconds(0)).isOne();
  }
}
