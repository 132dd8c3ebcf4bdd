package io.herald.core.status;

/**
 * Where one message is on its way to its receiver. Producers record {@link Queued}; the pipeline records the rest.
 * {@link Delivered}, {@link Rejected}, {@link DeadLettered} and {@link Suppressed} are final; {@link Bounced} and
 * {@link Complained} are what the receiving side said later, through a provider's delivery feedback, and may follow
 * {@link Delivered}.
 */
public sealed interface DeliveryState {

    /** A short lower-case name for APIs and tables: queued, sending, delivered, ... */
    String name();

    /** Whether nothing will happen to the message any more. */
    default boolean isFinal() {
        return false;
    }

    /** On SQS, waiting for the pipeline. */
    record Queued() implements DeliveryState {
        public String name() {
            return "queued";
        }
    }

    /** Handed to a provider. */
    record Sending(String provider) implements DeliveryState {
        public String name() {
            return "sending";
        }
    }

    /** Accepted by a provider. */
    record Delivered(String provider, String providerMessageId) implements DeliveryState {
        public String name() {
            return "delivered";
        }

        @Override
        public boolean isFinal() {
            return true;
        }
    }

    /** A send failed for a reason that may pass; it will be tried again. */
    record Retrying(int attempts, String lastError) implements DeliveryState {
        public String name() {
            return "retrying";
        }
    }

    /** Refused for good: this message cannot be delivered as it is. */
    record Rejected(String reason) implements DeliveryState {
        public String name() {
            return "rejected";
        }

        @Override
        public boolean isFinal() {
            return true;
        }
    }

    /** Set aside in a dead-letter queue, with the reason. */
    record DeadLettered(String reason) implements DeliveryState {
        public String name() {
            return "dead-lettered";
        }

        @Override
        public boolean isFinal() {
            return true;
        }
    }

    /**
     * The receiving mail system refused the message after the provider accepted it.
     *
     * @param permanent a hard bounce (the address does not exist or refuses for good) rather than a soft one
     * @param diagnostic the remote server's words, e.g. {@code 550 5.1.1 user unknown}
     * @param source the provider whose feedback said so
     */
    record Bounced(boolean permanent, String diagnostic, String source) implements DeliveryState {
        public String name() {
            return "bounced";
        }

        @Override
        public boolean isFinal() {
            return true;
        }
    }

    /**
     * The receiver marked the message as spam.
     *
     * @param feedbackType the complaint's kind as the provider reports it (e.g. {@code abuse}), or null
     * @param source the provider whose feedback said so
     */
    record Complained(String feedbackType, String source) implements DeliveryState {
        public String name() {
            return "complained";
        }

        @Override
        public boolean isFinal() {
            return true;
        }
    }

    /** Not sent: the address is on the suppression list (a hard bounce, a complaint or an unsubscribe). */
    record Suppressed(String reason) implements DeliveryState {
        public String name() {
            return "suppressed";
        }

        @Override
        public boolean isFinal() {
            return true;
        }
    }
}
