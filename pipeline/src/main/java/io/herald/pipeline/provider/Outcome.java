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
     * @param receiverDeferred the receiver's domain deferred it (SMTP 421, enhanced status 4.7.x): the pipeline slows
     *     email to that domain only ({@link io.herald.pipeline.pacing.DomainPacer}), not the provider
     */
    record Retry(Duration after, String reason, boolean slowDown, boolean receiverDeferred) implements Outcome {
        public Retry {
            Objects.requireNonNull(after, "after");
            Objects.requireNonNull(reason, "reason");
        }

        /** A retry that says nothing about the provider's pace. */
        public Retry(Duration after, String reason) {
            this(after, reason, false, false);
        }

        public Retry(Duration after, String reason, boolean slowDown) {
            this(after, reason, slowDown, false);
        }

        /** The receiver's domain deferred this message: retry it, and send to that domain more slowly. */
        public static Retry deferredByReceiver(Duration after, String reason) {
            return new Retry(after, reason, false, true);
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
