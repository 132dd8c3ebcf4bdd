package io.herald.core.config;

import io.herald.core.receiver.DomainNames;
import io.herald.core.receiver.EmailAddresses;
import io.herald.core.receiver.ReceiverAllowList;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One API key as written in {@code api.keys}: {@code name=ci sha256=9f86d0... senders=example.org|alerts@other.org
 * rate=60/m}.
 *
 * <p>One line of text per key, with no commas, so a whole key list fits one environment variable
 * ({@code HERALD_API_KEYS=entry one,entry two}). Only the SHA-256 of the token is configured: a leaked config file or
 * environment dump then gives nobody a usable key. A fast hash is enough here because tokens are long random strings,
 * not passwords a dictionary could guess.
 *
 * @param name shown in logs, metrics and the envelope's origin; never the token
 * @param sha256 lower-case hex SHA-256 of the token's UTF-8 bytes
 * @param senders addresses ({@code a@b.org}) and domains ({@code b.org}) this key may send as; {@code *} alone means
 *     any sender
 * @param rateCount requests allowed per {@code ratePer}, also the burst a quiet key may spend at once
 * @param ratePer the period of the rate: one second, minute or hour
 * @param role what the key may do besides sending; {@code role=} is optional and {@code send} by default
 * @param messageCount messages (one per receiver) allowed per {@code messagePer}; {@code messages=}, by default the
 *     same figures as {@code rate=}
 * @param messagePer the period of {@code messages=}
 * @param maxReceivers receivers one request may name; 0 (no {@code maxReceivers=}): api.maxReceiversPerRequest
 * @param receivers {@code scheme=regex} items: the receivers this key may send to (one {@code receivers=} field each);
 *     none: any receiver; a scheme not listed: any target of it
 * @param id what metrics call this key; {@code id=}, by default {@code key-} and the first 8 hex digits of
 *     {@code sha256}, which says nothing about the key's name or owner
 */
public record ApiKeyEntry(
        String name,
        String sha256,
        List<String> senders,
        int rateCount,
        Duration ratePer,
        Role role,
        int messageCount,
        Duration messagePer,
        int maxReceivers,
        List<String> receivers,
        String id) {

    /** The format, for error messages and the example configuration. */
    public static final String FORMAT = "name=NAME sha256=HEX senders=ADDRESS|DOMAIN|* rate=N/s|m|h [role=send|admin]"
            + " [messages=N/s|m|h] [maxReceivers=N] [receivers=SCHEME=REGEX ...] [id=LABEL]";
    /** The most receivers a key's {@code maxReceivers=} may allow (api.maxReceiversPerRequest's bound too). */
    public static final int MAX_RECEIVERS_LIMIT = 1000;

    /** What a key may do. */
    public enum Role {
        /** Send notifications and read their status. */
        SEND,
        /** All of that, and the operator endpoints under {@code /v1/admin} (pauses, overview). */
        ADMIN;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Pattern HASH = Pattern.compile("[0-9a-fA-F]{64}");
    private static final Pattern RATE = Pattern.compile("([0-9]{1,7})/(s|m|h)");
    private static final Pattern COUNT = Pattern.compile("[0-9]{1,7}");
    private static final List<String> FIELDS =
            List.of("name", "sha256", "senders", "rate", "role", "messages", "maxReceivers", "receivers", "id");
    private static final List<String> OPTIONAL_FIELDS = List.of("role", "messages", "maxReceivers", "receivers", "id");
    /** A regex may hold '|', so each allowed receiver pattern is a field of its own. */
    private static final String REPEATABLE = "receivers";

    public ApiKeyEntry {
        senders = List.copyOf(senders);
        role = role == null ? Role.SEND : role;
        receivers = receivers == null ? List.of() : List.copyOf(receivers);
        if (messagePer == null) {
            messageCount = rateCount;
            messagePer = ratePer;
        }
        if (id == null || id.isEmpty()) {
            id = defaultId(sha256);
        }
    }

    /** The metrics label of a key without {@code id=}: stable, index-free, and naming nobody. */
    static String defaultId(String sha256) {
        return "key-" + (sha256 == null || sha256.length() < 8 ? "unknown" : sha256.substring(0, 8));
    }

    /** Whether {@code receivers=} restricts where this key may send. */
    public boolean restrictsReceivers() {
        return !receivers.isEmpty();
    }

    /** Whether {@code senders=*}: the key may send as anyone. */
    public boolean allowsAnySender() {
        return senders.contains("*");
    }

    public boolean isAdmin() {
        return role == Role.ADMIN;
    }

    /** @return the entry, or what is wrong with it in words the operator can act on */
    public static Parsed parse(String text) {
        if (text == null || text.isBlank()) {
            return new Parsed.Invalid("is empty; write " + FORMAT);
        }
        Map<String, String> fields = new LinkedHashMap<>();
        List<String> receivers = new ArrayList<>();
        for (String part : text.strip().split("\\s+")) {
            int eq = part.indexOf('=');
            if (eq <= 0) {
                return new Parsed.Invalid("'" + redact(part) + "' is not field=value; write " + FORMAT);
            }
            String field = part.substring(0, eq);
            if (!FIELDS.contains(field)) {
                return new Parsed.Invalid("unknown field '" + field + "'; the fields are " + String.join(", ", FIELDS));
            }
            if (field.equals(REPEATABLE)) {
                receivers.add(part.substring(eq + 1));
                fields.putIfAbsent(field, "");
                continue;
            }
            if (fields.put(field, part.substring(eq + 1)) != null) {
                return new Parsed.Invalid("field '" + field + "' is given twice");
            }
        }
        for (String field : FIELDS) {
            if (!fields.containsKey(field) && !OPTIONAL_FIELDS.contains(field)) {
                return new Parsed.Invalid("field '" + field + "' is missing; write " + FORMAT);
            }
        }
        String name = fields.get("name");
        if (!NAME.matcher(name).matches()) {
            return new Parsed.Invalid("name '" + name + "' must be 1–64 letters, digits, '.', '_' or '-'");
        }
        String hash = fields.get("sha256");
        if (!HASH.matcher(hash).matches()) {
            // Someone may have pasted the token itself here: never repeat the value.
            return new Parsed.Invalid("key '" + name + "': sha256 must be 64 hex digits, the SHA-256 of the token "
                    + "(printf %s TOKEN | sha256sum), not the token itself");
        }
        Optional<String> sendersProblem = Optional.empty();
        List<String> senders = new ArrayList<>();
        for (String sender : fields.get("senders").split("\\|", -1)) {
            Optional<String> problem = senderProblem(sender);
            if (problem.isPresent()) {
                sendersProblem = problem;
                break;
            }
            senders.add(normalise(sender));
        }
        if (sendersProblem.isPresent()) {
            return new Parsed.Invalid("key '" + name + "': sender " + sendersProblem.get());
        }
        if (senders.contains("*") && senders.size() > 1) {
            return new Parsed.Invalid(
                    "key '" + name + "': senders '*' already allows everyone; list nothing else with it");
        }
        Matcher rate = RATE.matcher(fields.get("rate"));
        if (!rate.matches() || Integer.parseInt(rate.group(1)) < 1) {
            return new Parsed.Invalid("key '" + name + "': rate '" + fields.get("rate")
                    + "' must be a count per second, minute or hour, e.g. 60/m (1 to 9999999)");
        }
        Duration per = period(rate.group(2));
        Role role = Role.SEND;
        if (fields.containsKey("role")) {
            String wanted = fields.get("role");
            role = Arrays.stream(Role.values())
                    .filter(r -> r.label().equals(wanted))
                    .findFirst()
                    .orElse(null);
            if (role == null) {
                return new Parsed.Invalid("key '" + name + "': role '" + wanted + "' is neither send nor admin");
            }
        }
        int messageCount = Integer.parseInt(rate.group(1));
        Duration messagePer = per;
        if (fields.containsKey("messages")) {
            Matcher messages = RATE.matcher(fields.get("messages"));
            if (!messages.matches() || Integer.parseInt(messages.group(1)) < 1) {
                return new Parsed.Invalid("key '" + name + "': messages '" + fields.get("messages")
                        + "' must be a count per second, minute or hour, e.g. 600/h (1 to 9999999)");
            }
            messageCount = Integer.parseInt(messages.group(1));
            messagePer = period(messages.group(2));
        }
        int maxReceivers = 0;
        if (fields.containsKey("maxReceivers")) {
            String wanted = fields.get("maxReceivers");
            if (!COUNT.matcher(wanted).matches()
                    || Integer.parseInt(wanted) < 1
                    || Integer.parseInt(wanted) > MAX_RECEIVERS_LIMIT) {
                return new Parsed.Invalid("key '" + name + "': maxReceivers '" + wanted
                        + "' must be a number from 1 to " + MAX_RECEIVERS_LIMIT);
            }
            maxReceivers = Integer.parseInt(wanted);
        }
        for (String receiver : receivers) {
            Optional<String> problem = ReceiverAllowList.problem(receiver);
            if (problem.isPresent()) {
                return new Parsed.Invalid("key '" + name + "': receivers " + problem.get());
            }
        }
        String id = null;
        if (fields.containsKey("id")) {
            id = fields.get("id");
            if (!NAME.matcher(id).matches()) {
                return new Parsed.Invalid(
                        "key '" + name + "': id '" + id + "' must be 1–64 letters, digits, '.', '_' or '-'");
            }
        }
        return new Parsed.Valid(new ApiKeyEntry(
                name,
                hash.toLowerCase(Locale.ROOT),
                senders,
                Integer.parseInt(rate.group(1)),
                per,
                role,
                messageCount,
                messagePer,
                maxReceivers,
                receivers,
                id));
    }

    private static Duration period(String unit) {
        return switch (unit) {
            case "s" -> Duration.ofSeconds(1);
            case "m" -> Duration.ofMinutes(1);
            default -> Duration.ofHours(1);
        };
    }

    /** What {@link #parse} found. */
    public sealed interface Parsed {
        record Valid(ApiKeyEntry entry) implements Parsed {}

        record Invalid(String problem) implements Parsed {}
    }

    /** Whether this key may send as {@code address}: listed itself, its domain listed, or {@code *}. */
    public boolean allowsSender(String address) {
        if (senders.contains("*")) {
            return true;
        }
        if (address == null) {
            return false;
        }
        int at = address.lastIndexOf('@');
        if (at < 0) {
            return false;
        }
        String domain = asciiDomain(address.substring(at + 1));
        String normalised = address.substring(0, at).toLowerCase(Locale.ROOT) + "@" + domain;
        return senders.contains(normalised) || senders.contains(domain);
    }

    /** The token's hash in the form {@code sha256} holds. */
    public static String hash(String token) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static Optional<String> senderProblem(String sender) {
        if (sender.isEmpty()) {
            return Optional.of("list has an empty item (two '|' in a row?)");
        }
        if (sender.equals("*")) {
            return Optional.empty();
        }
        if (sender.indexOf('@') >= 0) {
            return EmailAddresses.problem(sender).map(p -> "'" + sender + "' " + p);
        }
        // A domain is valid exactly when an address at it would be.
        return EmailAddresses.problem("x@" + sender).map(p -> "domain '" + sender + "' is not a domain name");
    }

    /** Domains compare in their ASCII form and without case; local parts without case, as providers treat them. */
    private static String normalise(String sender) {
        if (sender.equals("*")) {
            return sender;
        }
        int at = sender.lastIndexOf('@');
        if (at < 0) {
            return asciiDomain(sender);
        }
        return sender.substring(0, at).toLowerCase(Locale.ROOT) + "@" + asciiDomain(sender.substring(at + 1));
    }

    /**
     * The domain as it is compared: its UTS #46 ASCII form (Java's IDN would map {@code ß} to {@code ss} and drop a
     * soft hyphen, so a look-alike could match a listed domain). A domain {@link DomainNames} refuses matches nothing.
     */
    private static String asciiDomain(String domain) {
        return switch (DomainNames.toAscii(domain)) {
            case DomainNames.Ascii ascii -> ascii.value();
            // Not a domain name at all (a listed sender never is this: the config check refuses it).
            case DomainNames.Refused refused -> "\0refused";
        };
    }

    private static String redact(String part) {
        return part.length() > 12 ? part.substring(0, 4) + "..." : part;
    }
}
