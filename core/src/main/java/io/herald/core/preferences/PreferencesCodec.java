package io.herald.core.preferences;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.herald.core.receiver.ParsedReceivers;
import io.herald.core.receiver.Receiver;
import io.herald.core.receiver.ReceiverParser;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;

/**
 * Preferences as JSON, the one shape the API, {@code herald prefs} and the status table share:
 *
 * <pre>{@code
 * {"receivers": {"work": "mailto:alice@uni.org", "phone": "telegram:123456"},
 *  "events": {"FAIL": {"receivers": ["work", "phone"]}, "END": {"receivers": ["work"], "digest": "hourly"},
 *             "BEGIN": {"receivers": []}},
 *  "quietHours": {"from": "22:00", "to": "07:00", "timeZone": "Europe/Berlin", "breakThrough": ["FAIL"]},
 *  "mute": {"clusters": ["test"], "partitions": ["debug", "cluster2/gpu"]}}
 * }</pre>
 *
 * Reading checks every field and reports each problem under its path ({@code receivers.phone},
 * {@code quietHours.timeZone}), so one answer tells a user all that is wrong. Unknown fields are refused: a misspelt
 * {@code quietHour} must not quietly do nothing. What {@link #write} adds ({@code user}, {@code updatedAt},
 * {@code updatedBy}) may be sent back, so a read can be edited and saved as it is.
 */
public final class PreferencesCodec {

    /** The outcome of reading: preferences, or the problems by field path. */
    public sealed interface Read permits Valid, Invalid {}

    public record Valid(UserPreferences preferences) implements Read {}

    public record Invalid(Map<String, String> errors) implements Read {
        public Invalid {
            errors = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(errors));
        }
    }

    static final int MAX_RECEIVERS = 10;
    static final int MAX_MUTED = 100;
    static final int MAX_NAME_CHARS = 100;
    private static final Pattern RECEIVER_NAME = Pattern.compile("[A-Za-z0-9_-]{1,32}");
    /**
     * POSIX portable names plus what directory services add (upper case, {@code @domain}); never a comma or colon,
     * which would make a name look like a receiver list or a scheme.
     */
    private static final Pattern USER_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.@$-]{0,63}");

    private static final Set<String> FIELDS =
            Set.of("receivers", "events", "quietHours", "mute", "user", "updatedAt", "updatedBy");
    private static final Set<String> EVENT_FIELDS = Set.of("receivers", "digest");
    private static final Set<String> QUIET_FIELDS = Set.of("from", "to", "timeZone", "breakThrough");
    private static final Set<String> MUTE_FIELDS = Set.of("clusters", "partitions");
    private static final DateTimeFormatter HH_MM = DateTimeFormatter.ofPattern("HH:mm");

    private final ObjectMapper mapper = new ObjectMapper();
    private final ReceiverParser receivers = ReceiverParser.standard("mailto");

    /** @return why {@code user} is not a Unix user name preferences can be kept for, or null when it is one */
    public static String userProblem(String user) {
        if (user == null || user.isEmpty()) {
            return "is required";
        }
        return USER_NAME.matcher(user).matches()
                ? null
                : "must be a Unix user name: 1-64 letters, digits, '_', '.', '-', '@', '$', not starting with '-' "
                        + "or '.'";
    }

    /**
     * Reads preferences someone is saving.
     *
     * @param channels the channels that have a provider here; a receiver on any other channel is refused
     */
    public Read read(String user, JsonNode json, Set<String> channels) {
        Map<String, String> errors = new LinkedHashMap<>();
        BiConsumer<String, String> problem = errors::putIfAbsent;
        String userProblem = userProblem(user);
        if (userProblem != null) {
            problem.accept("user", userProblem);
        }
        if (json == null || !json.isObject()) {
            problem.accept("base", "must be a JSON object with receivers (and optionally events, quietHours, mute)");
            return new Invalid(errors);
        }
        unknownFields(json, FIELDS, "", problem);
        JsonNode named = json.get("user");
        if (named != null
                && !named.isNull()
                && !(named.isTextual() && named.asText().equals(user))) {
            problem.accept("user", "names another user than the one the preferences are for ('" + user + "')");
        }
        Map<String, Receiver> receiverMap = readReceivers(json.get("receivers"), channels, problem);
        Set<String> declared = new java.util.LinkedHashSet<>();
        if (json.path("receivers").isObject()) {
            json.get("receivers").fieldNames().forEachRemaining(declared::add);
        }
        Map<EventKind, EventRule> events = readEvents(json.get("events"), declared, problem);
        QuietHours quiet = readQuietHours(json.get("quietHours"), problem);
        Mute mute = readMute(json.get("mute"), problem);
        if (!errors.isEmpty()) {
            return new Invalid(errors);
        }
        return new Valid(new UserPreferences(user, receiverMap, events, quiet, mute, null, null));
    }

    /** Reads preferences as saved, with when and by whom; channels are not checked again (providers change). */
    public UserPreferences readSaved(String user, String text) {
        JsonNode json;
        try {
            json = mapper.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(
                    "saved preferences of " + user + " are not JSON: " + e.getOriginalMessage());
        }
        Read read = read(user, json, null);
        if (read instanceof Invalid(Map<String, String> errors)) {
            throw new IllegalArgumentException("saved preferences of " + user + " are not valid: " + errors);
        }
        UserPreferences prefs = ((Valid) read).preferences();
        Instant at = json.hasNonNull("updatedAt")
                ? Instant.parse(json.get("updatedAt").asText())
                : null;
        String by = json.hasNonNull("updatedBy") ? json.get("updatedBy").asText() : null;
        return prefs.savedAt(at, by);
    }

    public ObjectNode write(UserPreferences prefs) {
        ObjectNode out = mapper.createObjectNode();
        out.put("user", prefs.user());
        ObjectNode receiverNode = out.putObject("receivers");
        prefs.receivers().forEach((name, r) -> receiverNode.put(name, r.scheme() + ":" + r.target()));
        ObjectNode events = out.putObject("events");
        prefs.events().forEach((kind, rule) -> {
            ObjectNode e = events.putObject(kind.name());
            ArrayNode to = e.putArray("receivers");
            rule.receivers().forEach(to::add);
            e.put("digest", rule.digest().label());
        });
        if (prefs.quietHours() != null) {
            QuietHours q = prefs.quietHours();
            ObjectNode quiet = out.putObject("quietHours");
            quiet.put("from", q.from().format(HH_MM));
            quiet.put("to", q.to().format(HH_MM));
            quiet.put("timeZone", q.zone().getId());
            ArrayNode through = quiet.putArray("breakThrough");
            new TreeSet<>(q.breakThrough()).forEach(k -> through.add(k.name()));
        }
        ObjectNode mute = out.putObject("mute");
        prefs.mute().clusters().forEach(mute.putArray("clusters")::add);
        prefs.mute().partitions().forEach(mute.putArray("partitions")::add);
        if (prefs.updatedAt() != null) {
            out.put("updatedAt", prefs.updatedAt().toString());
        }
        if (prefs.updatedBy() != null) {
            out.put("updatedBy", prefs.updatedBy());
        }
        return out;
    }

    public String writeString(UserPreferences prefs) {
        return write(prefs).toString();
    }

    public JsonNode parse(String text) throws JsonProcessingException {
        return mapper.readTree(text);
    }

    private Map<String, Receiver> readReceivers(
            JsonNode node, Set<String> channels, BiConsumer<String, String> problem) {
        Map<String, Receiver> out = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            problem.accept(
                    "receivers",
                    "is required: an object of name to receiver, e.g. " + "{\"work\": \"mailto:alice@example.org\"}");
            return out;
        }
        if (!node.isObject()) {
            problem.accept(
                    "receivers",
                    "must be an object of name to receiver, e.g. " + "{\"work\": \"mailto:alice@example.org\"}");
            return out;
        }
        if (node.isEmpty()) {
            problem.accept("receivers", "needs at least one receiver");
        } else if (node.size() > MAX_RECEIVERS) {
            problem.accept("receivers", "has " + node.size() + " receivers; at most " + MAX_RECEIVERS);
            return out;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String path = "receivers." + e.getKey();
            if (!RECEIVER_NAME.matcher(e.getKey()).matches()) {
                problem.accept(
                        "receivers", "name '" + shorten(e.getKey()) + "' must be 1-32 letters, digits, '_' or '-'");
                continue;
            }
            if (!e.getValue().isTextual()) {
                problem.accept(path, "must be a receiver as scheme:target, e.g. mailto:alice@example.org");
                continue;
            }
            String text = e.getValue().asText().strip();
            if (text.indexOf(':') < 0 || text.indexOf(',') >= 0) {
                problem.accept(path, "must be one receiver as scheme:target, e.g. mailto:alice@example.org");
                continue;
            }
            ParsedReceivers parsed = receivers.parse(text);
            if (!parsed.problems().isEmpty()) {
                problem.accept(path, parsed.problems().getFirst().reason());
                continue;
            }
            Receiver r = parsed.receivers().getFirst();
            if (channels != null && !channels.contains(r.channel())) {
                problem.accept(
                        path,
                        "channel " + r.channel() + " has no provider, neither in this configuration nor "
                                + "in a running pipeline, so nothing could reach it (channels with a provider: "
                                + String.join(", ", new TreeSet<>(channels)) + ")");
                continue;
            }
            out.put(e.getKey(), r);
        }
        return out;
    }

    /** @param declared the receivers' names as written (a refused receiver is reported once, under its own name) */
    private Map<EventKind, EventRule> readEvents(
            JsonNode node, Set<String> declared, BiConsumer<String, String> problem) {
        Map<EventKind, EventRule> out = new EnumMap<>(EventKind.class);
        if (node == null || node.isNull()) {
            return out;
        }
        if (!node.isObject()) {
            problem.accept(
                    "events",
                    "must be an object of event kind to rule, e.g. {\"FAIL\": {\"receivers\": " + "[\"work\"]}}");
            return out;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            var kind = EventKind.parse(e.getKey());
            if (kind.isEmpty()) {
                problem.accept(
                        "events",
                        "unknown event kind '" + shorten(e.getKey()) + "' (known: "
                                + String.join(
                                        ", ",
                                        EnumSet.allOf(EventKind.class).stream()
                                                .map(Enum::name)
                                                .toList()) + ")");
                continue;
            }
            String path = "events." + kind.get().name();
            JsonNode rule = e.getValue();
            if (!rule.isObject()) {
                problem.accept(path, "must be an object with receivers (names) and digest");
                continue;
            }
            unknownFields(rule, EVENT_FIELDS, path + ".", problem);
            List<String> names = new ArrayList<>(declared);
            JsonNode to = rule.get("receivers");
            if (to != null && !to.isNull()) {
                names = new ArrayList<>();
                if (!to.isArray()) {
                    problem.accept(path + ".receivers", "must be a list of receiver names; [] for none");
                    continue;
                }
                for (int i = 0; i < to.size(); i++) {
                    String name = to.get(i).isTextual() ? to.get(i).asText() : null;
                    if (name == null || !declared.contains(name)) {
                        problem.accept(
                                path + ".receivers[" + i + "]",
                                name == null
                                        ? "must be a receiver's name"
                                        : "'" + shorten(name) + "' is none of the receivers ("
                                                + String.join(", ", declared) + ")");
                    } else if (!names.contains(name)) {
                        names.add(name);
                    }
                }
            }
            Digest digest = Digest.IMMEDIATE;
            JsonNode d = rule.get("digest");
            if (d != null && !d.isNull()) {
                var parsed = d.isTextual() ? Digest.parse(d.asText()) : java.util.Optional.<Digest>empty();
                if (parsed.isEmpty()) {
                    problem.accept(path + ".digest", "must be immediate, hourly or daily");
                    continue;
                }
                digest = parsed.get();
            }
            out.put(kind.get(), new EventRule(names, digest));
        }
        return out;
    }

    private QuietHours readQuietHours(JsonNode node, BiConsumer<String, String> problem) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            problem.accept("quietHours", "must be an object with from, to, timeZone and breakThrough");
            return null;
        }
        unknownFields(node, QUIET_FIELDS, "quietHours.", problem);
        LocalTime from = time(node.get("from"), "quietHours.from", problem);
        LocalTime to = time(node.get("to"), "quietHours.to", problem);
        ZoneId zone = null;
        JsonNode z = node.get("timeZone");
        if (z == null || !z.isTextual()) {
            problem.accept("quietHours.timeZone", "is required: a time zone such as Europe/Berlin or UTC");
        } else {
            try {
                zone = ZoneId.of(z.asText().strip());
            } catch (DateTimeException e) {
                problem.accept(
                        "quietHours.timeZone",
                        "'" + shorten(z.asText()) + "' is not a time zone; use a name "
                                + "such as Europe/Berlin, America/New_York or UTC");
            }
        }
        Set<EventKind> through = EnumSet.noneOf(EventKind.class);
        JsonNode b = node.get("breakThrough");
        if (b != null && !b.isNull()) {
            if (!b.isArray()) {
                problem.accept("quietHours.breakThrough", "must be a list of event kinds, e.g. [\"FAIL\"]");
            } else {
                for (int i = 0; i < b.size(); i++) {
                    var kind = b.get(i).isTextual()
                            ? EventKind.parse(b.get(i).asText())
                            : java.util.Optional.<EventKind>empty();
                    if (kind.isEmpty()) {
                        problem.accept("quietHours.breakThrough[" + i + "]", "must be an event kind (e.g. FAIL)");
                    } else {
                        through.add(kind.get());
                    }
                }
            }
        }
        if (from != null && to != null && from.equals(to)) {
            problem.accept("quietHours.to", "must differ from quietHours.from");
            return null;
        }
        return from == null || to == null || zone == null ? null : new QuietHours(from, to, zone, through);
    }

    private static LocalTime time(JsonNode node, String path, BiConsumer<String, String> problem) {
        if (node == null || !node.isTextual()) {
            problem.accept(path, "is required: a time of day as HH:MM, e.g. 22:00");
            return null;
        }
        try {
            return LocalTime.parse(node.asText().strip(), HH_MM);
        } catch (DateTimeParseException e) {
            problem.accept(path, "'" + shorten(node.asText()) + "' is not a time of day as HH:MM (00:00-23:59)");
            return null;
        }
    }

    private static Mute readMute(JsonNode node, BiConsumer<String, String> problem) {
        if (node == null || node.isNull()) {
            return Mute.NONE;
        }
        if (!node.isObject()) {
            problem.accept("mute", "must be an object with clusters and partitions (lists of names)");
            return Mute.NONE;
        }
        unknownFields(node, MUTE_FIELDS, "mute.", problem);
        return new Mute(
                names(node.get("clusters"), "mute.clusters", problem),
                names(node.get("partitions"), "mute.partitions", problem));
    }

    private static List<String> names(JsonNode node, String path, BiConsumer<String, String> problem) {
        List<String> out = new ArrayList<>();
        if (node == null || node.isNull()) {
            return out;
        }
        if (!node.isArray()) {
            problem.accept(path, "must be a list of names");
            return out;
        }
        if (node.size() > MAX_MUTED) {
            problem.accept(path, "has " + node.size() + " names; at most " + MAX_MUTED);
            return out;
        }
        for (int i = 0; i < node.size(); i++) {
            JsonNode n = node.get(i);
            if (!n.isTextual()
                    || n.asText().isBlank()
                    || n.asText().length() > MAX_NAME_CHARS
                    || n.asText().chars().anyMatch(c -> c < 0x20 || c == 0x7F)) {
                problem.accept(path + "[" + i + "]", "must be a name of 1-" + MAX_NAME_CHARS + " printable characters");
            } else if (!out.contains(n.asText().strip())) {
                out.add(n.asText().strip());
            }
        }
        return out;
    }

    private static void unknownFields(
            JsonNode node, Set<String> known, String prefix, BiConsumer<String, String> problem) {
        node.fieldNames().forEachRemaining(f -> {
            if (!known.contains(f)) {
                problem.accept(
                        prefix + shorten(f), "unknown field (known: " + String.join(", ", new TreeSet<>(known)) + ")");
            }
        });
    }

    private static String shorten(String text) {
        String shown = text.codePoints()
                .filter(c -> c >= 0x20 && c != 0x7F)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
                .toString();
        return shown.length() > 40 ? shown.substring(0, 40) + "..." : shown;
    }
}
