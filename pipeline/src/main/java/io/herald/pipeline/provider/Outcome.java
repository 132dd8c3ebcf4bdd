package io.herald.pipeline.provider;

import java.time.Duration;
import java.util.Objects;

/**
 * What became of one send. The cases differ in who is to blame, which decides what happens next:
 * the message's fault is never retried and never counts against the provider; the provider's
 * fault is retried and does.
 */
public sealed interface Outcome {

    /** The provider accepted the message. */
    record Delivered(String providerMessageId) implements Outcome {
    }

    /** A temporary failure (timeout, 5xx, rate limit): send again, no sooner than {@code after}. */
    record Retry(Duration after, String reason) implements Outcome {
        public Retry {
            Objects.requireNonNull(after, "after");
            Objects.requireNonNull(reason, "reason");
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
