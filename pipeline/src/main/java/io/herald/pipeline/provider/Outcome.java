package io.herald.pipeline.provider;

import java.time.Duration;
import java.util.Objects;

/**
 * What became of one send. The cases differ in who is to blame, which decides what happens next: the message's fault is
 * never retried and never counts against the provider; the provider's fault is retried and does.
 */
public sealed interface Outcome {

    /** The provider accepted the message. */
    record Delivered(String providerMessageId) implements Outcome {}

    /**
     * A temporary failure (timeout, 5xx, rate limit): send again, no sooner than {@code after}.
     *
     * @param slowDown the provider said this sender goes too fast (HTTP 429, SES throttling): the rate limiter in front
     *     of it ({@link RateLimitedProvider}) pauses every send for {@code after} and lowers the rate, not only this
     *     message's retry
     */
    record Retry(Duration after, String reason, boolean slowDown) implements Outcome {
        public Retry {
            Objects.requireNonNull(after, "after");
            Objects.requireNonNull(reason, "reason");
        }

        /** A retry that says nothing about the provider's pace. */
        public Retry(Duration after, String reason) {
            this(after, reason, false);
        }

        /** The provider asked this sender to slow down, and to wait {@code after} before the next try. */
        public static Retry slowDown(Duration after, String reason) {
            return new Retry(after, reason, true);
        }
    }

    /** This message can never be delivered as it is (bad address, rejected content, blocked chat). */
    record Rejected(String reason) implements Outcome {
        public Rejected {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** The provider cannot deliver anything now (bad credentials, account paused, disk full). */
    record ProviderDown(String reason) implements Outcome {
        public ProviderDown {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
