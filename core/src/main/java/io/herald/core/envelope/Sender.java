package io.herald.core.envelope;

import java.util.Locale;

/** The From of a notification: an address and an optional display name. */
public record Sender(String email, String name) {

    /**
     * The domain of the address, lower-cased (what feedback metrics are counted by); null when there is no address or
     * it has no domain.
     */
    public String domain() {
        if (email == null) {
            return null;
        }
        int at = email.lastIndexOf('@');
        String domain = at < 0 ? "" : email.substring(at + 1).strip();
        return domain.isEmpty() ? null : domain.toLowerCase(Locale.ROOT);
    }
}
