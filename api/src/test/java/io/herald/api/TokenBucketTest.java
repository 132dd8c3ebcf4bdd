package io.herald.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TokenBucketTest {

    private final AtomicLong nanos = new AtomicLong(1_000);

    @Test
    void aQuietKeyMaySpendItsWholeRateAtOnce() {
        TokenBucket bucket = new TokenBucket(3, Duration.ofSeconds(1), nanos::get);

        assertThat(bucket.take()).isEmpty();
        assertThat(bucket.take()).isEmpty();
        assertThat(bucket.take()).isEmpty();
        assertThat(bucket.take()).isPresent();
    }

    @Test
    void theWaitIsTheTimeUntilTheNextTokenAndRefillIsContinuous() {
        TokenBucket bucket = new TokenBucket(4, Duration.ofSeconds(1), nanos::get);
        for (int i = 0; i < 4; i++) {
            bucket.take();
        }

        assertThat(bucket.take()).hasValue(Duration.ofMillis(250));
        nanos.addAndGet(Duration.ofMillis(100).toNanos());
        assertThat(bucket.take()).hasValue(Duration.ofMillis(150));
        nanos.addAndGet(Duration.ofMillis(150).toNanos());
        assertThat(bucket.take()).isEmpty();
    }

    @Test
    void aLongPauseRefillsNoMoreThanTheCapacity() {
        TokenBucket bucket = new TokenBucket(2, Duration.ofMinutes(1), nanos::get);
        bucket.take();
        nanos.addAndGet(Duration.ofHours(5).toNanos());

        assertThat(bucket.take()).isEmpty();
        assertThat(bucket.take()).isEmpty();
        assertThat(bucket.take()).isPresent();
    }

    @Test
    void severalTokensAreTakenAllOrNoneAndCanBeGivenBack() {
        TokenBucket bucket = new TokenBucket(5, Duration.ofSeconds(1), nanos::get);

        assertThat(bucket.take(4)).isEmpty();
        assertThat(bucket.take(2)).as("one left: two are refused whole").contains(Duration.ofMillis(200));
        assertThat(bucket.take(1)).isEmpty();
        bucket.giveBack(3);
        assertThat(bucket.take(3)).isEmpty();
        bucket.giveBack(100);
        assertThat(bucket.take(5)).as("given back up to the capacity").isEmpty();
        assertThat(bucket.take(1)).isPresent();
    }

    @Test
    void aBucketIsFullAgainOnlyAfterItsOwnerWasQuietLongEnoughToRefillIt() {
        TokenBucket bucket = new TokenBucket(2, Duration.ofSeconds(1), nanos::get);
        assertThat(bucket.isFull()).isTrue();

        bucket.take();
        assertThat(bucket.isFull()).isFalse();
        nanos.addAndGet(Duration.ofMillis(400).toNanos());
        assertThat(bucket.isFull()).isFalse();
        nanos.addAndGet(Duration.ofMillis(100).toNanos());
        assertThat(bucket.isFull()).isTrue();
    }
}
