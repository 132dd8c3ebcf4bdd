package io.herald.core.status;

/**
 * Where one message is on its way to its receiver. Producers record {@link Queued}; the pipeline records the rest.
 * {@link Delivered}, {@link Rejected} and {@link DeadLettered} are final.
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
}
