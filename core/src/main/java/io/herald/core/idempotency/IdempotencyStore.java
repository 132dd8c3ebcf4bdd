package io.herald.core.idempotency;

/**
 * Remembers requests by their {@code Idempotency-Key} so a client may safely send a request again after a timeout or a
 * dropped connection: the repeat gets the first answer and queues nothing.
 *
 * <p>A key is claimed before the request is processed and completed with its answer afterwards. Keys are scoped (by API
 * key), so two clients choosing the same key never see each other's answers.
 */
public interface IdempotencyStore {

    /**
     * Claims {@code key} for a request, or tells what became of the first request with it.
     *
     * @param scope who is asking (an API key's name); keys of different scopes never meet
     * @param key the client's Idempotency-Key
     * @param fingerprint identifies the request's content; a repeat must have the same one
     * @throws IdempotencyStoreException when the store cannot be reached
     */
    Claim claim(String scope, String key, String fingerprint);

    /** Stores the answer of a claimed request, to be replayed to repeats. */
    void complete(String scope, String key, String fingerprint, StoredResponse response);

    /** Gives a claimed key up without an answer (the request failed in a way worth retrying). */
    void release(String scope, String key, String fingerprint);

    /** An answer as sent: status and JSON body. */
    record StoredResponse(int status, String body) {}

    /** What {@link #claim} found. */
    sealed interface Claim {

        /** The key is new (or its window passed): process the request, then complete or release. */
        record Claimed() implements Claim {}

        /** The same request was answered before: send this again. */
        record Replay(StoredResponse response) implements Claim {}

        /** The same request is being processed right now by another call. */
        record InProgress() implements Claim {}

        /** The key was used for a different request: refusing beats answering for the wrong one. */
        record Mismatch() implements Claim {}
    }
}
