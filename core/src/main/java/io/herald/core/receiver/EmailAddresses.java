package io.herald.core.receiver;

import java.util.Locale;
import java.util.Optional;

/**
 * Mailbox syntax as mail servers accept it today: dot-atom local parts (RFC 5322), UTF-8 local parts (RFC 6531),
 * internationalised domains checked through their ASCII form (UTS #46, see {@link DomainNames}), any TLD length, any
 * letter case. Quoted local parts and address literals are refused: no provider Herald speaks to delivers them
 * reliably.
 */
public final class EmailAddresses {

    private static final String ATEXT_SPECIALS = "!#$%&'*+/=?^_`{|}~-";

    private EmailAddresses() {}

    public static boolean isValid(String address) {
        return problem(address).isEmpty();
    }

    /** @return empty when valid, otherwise what is wrong, phrased for the person who typed it */
    public static Optional<String> problem(String address) {
        if (address == null || address.isEmpty()) {
            return Optional.of("is empty");
        }
        if (address.codePoints().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
            return Optional.of("contains whitespace or control characters");
        }
        if (address.length() > 254) {
            return Optional.of("is longer than 254 characters");
        }
        int at = address.lastIndexOf('@');
        if (at < 0) {
            return Optional.of("has no '@'");
        }
        if (address.indexOf('@') != at) {
            return Optional.of("has more than one '@' (one address per receiver; separate receivers with ',')");
        }
        String local = address.substring(0, at);
        String domain = address.substring(at + 1);
        return localPartProblem(local).or(() -> domainProblem(domain));
    }

    private static Optional<String> localPartProblem(String local) {
        if (local.isEmpty()) {
            return Optional.of("has nothing before the '@'");
        }
        if (local.length() > 64) {
            return Optional.of("has more than 64 characters before the '@'");
        }
        if (local.startsWith(".") || local.endsWith(".") || local.contains("..")) {
            return Optional.of("has a misplaced '.' before the '@'");
        }
        for (int i = 0; i < local.length(); ) {
            int c = local.codePointAt(i);
            boolean ok = (c < 0x80 && (Character.isLetterOrDigit(c) || c == '.' || ATEXT_SPECIALS.indexOf(c) >= 0))
                    || (c >= 0x80 && Character.isLetterOrDigit(c));
            if (!ok) {
                return Optional.of("has the character '" + Character.toString(c) + "' before the '@'");
            }
            i += Character.charCount(c);
        }
        return Optional.empty();
    }

    private static Optional<String> domainProblem(String domain) {
        if (domain.isEmpty()) {
            return Optional.of("has no domain after the '@'");
        }
        if (domain.length() > 253) {
            return Optional.of("has a domain longer than 253 characters");
        }
        String ascii;
        switch (DomainNames.toAscii(domain)) {
            case DomainNames.Ascii a -> ascii = a.value();
            case DomainNames.Refused r -> {
                return Optional.of("has a domain '" + domain + "' that " + r.why());
            }
        }
        if (ascii.length() > 253) {
            return Optional.of("has a domain longer than 253 characters");
        }
        String[] labels = ascii.split("\\.", -1);
        if (labels.length < 2) {
            return Optional.of("has a domain without a '.' ('" + domain + "')");
        }
        for (String label : labels) {
            if (label.isEmpty()) {
                return Optional.of("has an empty label in its domain '" + domain + "'");
            }
        }
        String tld = labels[labels.length - 1].toLowerCase(Locale.ROOT);
        if (tld.chars().allMatch(Character::isDigit)) {
            return Optional.of("has a numeric top-level domain '" + tld + "'");
        }
        return Optional.empty();
    }
}
