package io.herald.core.receiver;

/**
 * An item of a receiver list that cannot be delivered to, and why.
 *
 * @param position 1-based position of the item in the comma-separated list
 * @param item the item as written (may be empty)
 * @param reason what is wrong with it, in words a user can act on
 */
public record ReceiverProblem(int position, String item, String reason) {

    @Override
    public String toString() {
        return "item " + position + " '" + item + "': " + reason;
    }
}
