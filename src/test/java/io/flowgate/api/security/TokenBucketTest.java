package io.flowgate.api.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The bucket's arithmetic, on a clock the test moves by hand. */
class TokenBucketTest {

  private static final long SECOND = 1_000_000_000L;

  @Test
  void spendsTheBurstThenRefusesWithTheSecondsToWait() {
    TokenBucket bucket = new TokenBucket(2, 4, 0);
    assertThat(bucket.tryTake(3, 0)).isZero();
    assertThat(bucket.tryTake(1, 0)).isZero();
    assertThat(bucket.tryTake(1, 0)).isEqualTo(1);
    assertThat(bucket.tryTake(4, 0)).isEqualTo(2);
  }

  @Test
  void refillsAtTheRateUpToTheBurst() {
    TokenBucket bucket = new TokenBucket(2, 4, 0);
    bucket.tryTake(4, 0);
    assertThat(bucket.tryTake(2, SECOND / 2)).isEqualTo(1);
    assertThat(bucket.tryTake(1, SECOND / 2)).isZero();
    assertThat(bucket.isFull(100 * SECOND)).isTrue();
    assertThat(bucket.tryTake(4, 100 * SECOND)).isZero();
    assertThat(bucket.tryTake(1, 100 * SECOND)).isEqualTo(1);
  }

  @Test
  void aRefusalTakesNothing() {
    TokenBucket bucket = new TokenBucket(1, 3, 0);
    bucket.tryTake(2, 0);
    assertThat(bucket.tryTake(2, 0)).isEqualTo(1);
    assertThat(bucket.tryTake(1, 0)).isZero();
  }

  @Test
  void aRequestLargerThanTheBucketPassesOnlyWhenItIsFull() {
    TokenBucket bucket = new TokenBucket(10, 5, 0);
    assertThat(bucket.tryTake(50, 0)).isZero();
    assertThat(bucket.tryTake(50, SECOND / 10)).isEqualTo(1);
    assertThat(bucket.tryTake(50, SECOND)).isZero();
  }

  @Test
  void aClockThatStepsBackDoesNotMintPermits() {
    TokenBucket bucket = new TokenBucket(1, 1, 10 * SECOND);
    bucket.tryTake(1, 10 * SECOND);
    assertThat(bucket.tryTake(1, 0)).isEqualTo(1);
  }
}
