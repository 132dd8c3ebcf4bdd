package io.herald.core.feedback;

import java.util.List;
import java.util.Optional;

/**
 * The one suppression list, shared by every provider and every pipeline instance: an email to an address on it is never
 * handed to any provider (nor to the next one on failover); it ends {@code suppressed}.
 */
public interface Suppressions {

    /**
     * The entry that stops mail of {@code category} to {@code address}: one for all categories, or one for exactly that
     * category; empty when the address may be mailed.
     *
     * @param category the email's category, or null for the producer's default
     * @throws FeedbackStoreException when the list cannot be read (the caller must not send: retry later)
     */
    Optional<Suppression> find(String address, String category);

    /**
     * {@link #find} for several emails at once, so the pipeline checks a whole read in one request where the store
     * allows it; this default asks {@link #find} for each.
     *
     * @return one answer per lookup, in the lookups' order
     * @throws FeedbackStoreException when the list cannot be read (the caller must not send any of them: retry later)
     */
    default List<Optional<Suppression>> findAll(List<Lookup> lookups) {
        return lookups.stream().map(l -> find(l.address(), l.category())).toList();
    }

    /** One email to check: its receiver's address and its category (null for the producer's default). */
    record Lookup(String address, String category) {}

    /** Adds (or replaces) the entry for its address and category. */
    void add(Suppression suppression);

    /**
     * Removes every entry of the address, and its count of soft bounces (the next one starts a new count); false when
     * there was no entry.
     */
    boolean remove(String address);

    /** Entries, newest first: all of them (up to {@code limit}), or those of one address when it is given. */
    List<Suppression> list(String addressOrNull, int limit);
}
