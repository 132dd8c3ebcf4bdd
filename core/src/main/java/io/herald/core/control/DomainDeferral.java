package io.herald.core.control;

import java.time.Instant;
import java.util.Locale;

/**
 * A recipient domain's receiver said "later" (SMTP 421, an enhanced status 4.7.x, SES {@code DeliveryDelay}, SendGrid
 * {@code deferred}), as one process tells every pipeline instance through the {@link ControlStore}: each slows email to
 * that domain in its own pacer. The store keeps the latest per domain.
 *
 * @param domain the recipient domain, lower case ({@link #domainOf})
 * @param reporter the process that heard it (a pipeline instance's name, or the API's), so it does not slow the domain
 *     a second time when it reads its own report back
 * @param at when it was heard
 */
public record DomainDeferral(String domain, String reporter, Instant at) {

    /** The domain of an address (after its last {@code @}, without a closing {@code >}), lower case. */
    public static String domainOf(String address) {
        String a = address == null ? "" : address.strip();
        int at = a.lastIndexOf('@');
        String domain = at < 0 ? a : a.substring(at + 1);
        if (domain.endsWith(">")) {
            domain = domain.substring(0, domain.length() - 1);
        }
        return domain.toLowerCase(Locale.ROOT);
    }
}
