package io.herald.mailprog.telegram;

import io.herald.core.preferences.ChatLinks;
import io.herald.core.preferences.EventKind;
import io.herald.core.preferences.Mute;
import io.herald.core.preferences.PreferencesCodec;
import io.herald.core.preferences.PreferencesStoreException;
import io.herald.core.preferences.QuietHours;
import io.herald.core.preferences.RecentJobs;
import io.herald.core.preferences.UserPreferences;
import io.herald.core.preferences.UserStores;
import io.herald.core.status.StatusStore;
import io.herald.core.status.StatusStoreException;
import io.herald.core.status.StatusUpdate;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the bot answers in a private chat besides /start: {@code /link} gives the chat a one-time code; in a chat linked
 * to a Unix user, {@code /prefs}, {@code /quiet}, {@code /mute} and {@code /unmute} read and change that user's
 * preferences, and {@code /jobs} and {@code /last} list the notifications Herald sent about their jobs (from its own
 * records: the bot never asks Slurm).
 *
 * <p>No command names a user: the user is always the one the chat is linked to, so a chat can never read or change
 * anybody else's preferences or jobs.
 */
public final class BotCommands {

    private static final Logger log = LoggerFactory.getLogger(BotCommands.class);
    private static final String CHANNEL = "telegram";
    private static final int JOBS_LISTED = 10;
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("MM-dd HH:mm");
    private static final Set<String> KNOWN =
            Set.of("/link", "/prefs", "/quiet", "/mute", "/unmute", "/jobs", "/last", "/help");

    private final UserStores users;
    private final StatusStore status;
    private final ZoneId defaultZone;
    private final Clock clock;
    private final PreferencesCodec codec = new PreferencesCodec();

    /**
     * @param status delivery states of the notifications /jobs lists
     * @param defaultZone quiet hours' zone when the user names none (mailprog.timeZone), and the zone times are shown
     *     in
     */
    public BotCommands(UserStores users, StatusStore status, ZoneId defaultZone, Clock clock) {
        this.users = users;
        this.status = status;
        this.defaultZone = defaultZone;
        this.clock = clock;
    }

    /** Whether {@code command} (lower case, without @BotName) is one of these. */
    static boolean isCommand(String command) {
        return KNOWN.contains(command);
    }

    /**
     * The reply to a private chat's message.
     *
     * @param command the command in lower case, without @BotName
     * @param args what followed it, stripped
     */
    public String answer(long chatId, String command, String args) {
        String chat = Long.toString(chatId);
        try {
            if (command.equals("/help")) {
                return help();
            }
            if (command.equals("/link")) {
                return link(chat);
            }
            Optional<ChatLinks.ChatLink> link = users.links().linkOf(CHANNEL, chat);
            if (link.isEmpty()) {
                return "This chat is not linked to a Unix user yet: send /link, then submit any job with the "
                        + "--mail-user=link:CODE it gives you.";
            }
            String user = link.get().user();
            return switch (command) {
                case "/prefs" ->
                    args.isEmpty()
                            ? prefs(user)
                            : "/prefs takes nothing after it: this chat sees only the preferences of " + user + ".";
                case "/quiet" -> quiet(user, chat, args);
                case "/mute" -> mute(user, chat, args, true);
                case "/unmute" -> mute(user, chat, args, false);
                case "/jobs" ->
                    args.isEmpty()
                            ? jobs(user)
                            : "/jobs takes nothing after it: this chat sees only the jobs of " + user + ".";
                case "/last" ->
                    args.isEmpty()
                            ? last(user)
                            : "/last takes nothing after it: this chat sees only the jobs of " + user + ".";
                default -> "Unknown command " + command + "; /help lists what I answer.";
            };
        } catch (PreferencesStoreException | StatusStoreException e) {
            log.warn("chat {}: {} failed: {}", chatId, command, e.getMessage());
            return "Herald cannot reach its records right now, so " + command + " did nothing; try again in a while.";
        }
    }

    private static String help() {
        return """
                /link - a one-time code that links this chat to your Unix user (submit a job with \
                --mail-user=link:CODE)
                /prefs - your notification preferences
                /quiet 22:00-07:00 [Europe/Berlin] - quiet hours (/quiet off ends them)
                /mute CLUSTER[/PARTITION] - hear nothing from it (/unmute undoes it)
                /jobs - the notifications Herald sent about your recent jobs
                /last - the latest one in detail""";
    }

    private String link(String chat) {
        Optional<ChatLinks.ChatLink> now = users.links().linkOf(CHANNEL, chat);
        String code = users.links().issueCode(CHANNEL, chat, clock.instant());
        return "Your link code: " + code + "\n\nProve which Unix user you are by submitting any job with\n\n"
                + "--mail-user=link:" + code + "\n\n(e.g. sbatch --mail-type=BEGIN --mail-user=link:" + code
                + " --wrap=true). The code works once, for " + ChatLinks.CODE_LIFETIME.toMinutes() + " minutes; "
                + "the job sends no other notification for it."
                + now.map(l -> "\n\nThis chat is linked to " + l.user() + " now; the job's user takes it over.")
                        .orElse("");
    }

    private String prefs(String user) {
        Optional<UserPreferences> found = users.preferences().find(user);
        if (found.isEmpty()) {
            return user + " has no preferences: notifications go where each job's --mail-user says (a bare "
                    + "--mail-user goes to " + user + "'s default receiver).";
        }
        UserPreferences p = found.get();
        StringBuilder out = new StringBuilder("Preferences of " + user + ":\n");
        out.append("receivers: ")
                .append(p.receivers().entrySet().stream()
                        .map(e -> e.getKey() + "=" + e.getValue().scheme() + ":"
                                + e.getValue().target())
                        .collect(Collectors.joining(", ")))
                .append('\n');
        p.events()
                .forEach((kind, rule) -> out.append(kind)
                        .append(": ")
                        .append(
                                rule.receivers().isEmpty()
                                        ? "not sent"
                                        : String.join(", ", rule.receivers())
                                                + (rule.digest().label().equals("immediate")
                                                        ? ""
                                                        : " (" + rule.digest().label() + " digest)"))
                        .append('\n'));
        out.append("quiet hours: ")
                .append(p.quiet().map(BotCommands::describe).orElse("none"))
                .append('\n');
        out.append("muted: ").append(describe(p.mute()));
        return out.toString();
    }

    private static String describe(QuietHours q) {
        String through =
                new TreeSet<>(q.breakThrough()).stream().map(Enum::name).collect(Collectors.joining(", "));
        return q.from() + "-" + q.to() + " " + q.zone().getId()
                + (through.isEmpty() ? "" : " (" + through + " break through)");
    }

    private static String describe(Mute m) {
        List<String> all = new ArrayList<>();
        m.clusters().forEach(c -> all.add("cluster " + c));
        m.partitions().forEach(p -> all.add("partition " + p));
        return all.isEmpty() ? "nothing" : String.join(", ", all);
    }

    private String quiet(String user, String chat, String args) {
        String[] words = args.isEmpty() ? new String[0] : args.split("\\s+");
        if (words.length == 0 || words.length > 2) {
            return "Usage: /quiet 22:00-07:00 [Europe/Berlin], or /quiet off";
        }
        Optional<UserPreferences> found = users.preferences().find(user);
        if (found.isEmpty()) {
            return noPreferences(user, "quiet hours");
        }
        UserPreferences p = found.get();
        if (words.length == 1 && words[0].equalsIgnoreCase("off")) {
            if (p.quietHours() == null) {
                return user + " has no quiet hours; nothing changed.";
            }
            return save(
                    p,
                    chat,
                    null,
                    p.mute(),
                    "Quiet hours of " + user + " are off (they were " + describe(p.quietHours()) + ").");
        }
        String[] span = words[0].split("-", -1);
        if (span.length != 2) {
            return "'" + words[0] + "' is not a span like 22:00-07:00; nothing changed.";
        }
        LocalTime from;
        LocalTime to;
        try {
            from = LocalTime.parse(pad(span[0]));
            to = LocalTime.parse(pad(span[1]));
        } catch (DateTimeParseException e) {
            return "'" + words[0] + "' is not a span of two times like 22:00-07:00; nothing changed.";
        }
        ZoneId zone;
        try {
            zone = words.length == 2
                    ? ZoneId.of(words[1])
                    : p.quietHours() != null ? p.quietHours().zone() : defaultZone;
        } catch (DateTimeException e) {
            return "'" + words[1] + "' is not a time zone (write one like Europe/Berlin); nothing changed.";
        }
        if (from.equals(to)) {
            return "Quiet hours must not start and end at the same time; nothing changed.";
        }
        Set<EventKind> through = p.quietHours() != null ? p.quietHours().breakThrough() : Set.of(EventKind.FAIL);
        QuietHours q = new QuietHours(from, to, zone, through);
        return save(
                p,
                chat,
                q,
                p.mute(),
                "Quiet hours of " + user + " are now " + describe(q)
                        + (p.quietHours() == null ? "" : " (were " + describe(p.quietHours()) + ")") + ".");
    }

    /** 7:00 as 07:00: people type it either way. */
    private static String pad(String time) {
        String t = time.strip();
        return t.length() == 4 && t.charAt(1) == ':' ? "0" + t : t;
    }

    private String mute(String user, String chat, String args, boolean on) {
        String verb = on ? "/mute" : "/unmute";
        if (args.isEmpty() || args.split("\\s+").length != 1) {
            return "Usage: " + verb + " CLUSTER or " + verb + " CLUSTER/PARTITION";
        }
        String[] parts = args.split("/", -1);
        if (parts.length > 2 || parts[0].isEmpty() || parts.length == 2 && parts[1].isEmpty()) {
            return "'" + args + "' is not CLUSTER or CLUSTER/PARTITION; nothing changed.";
        }
        Optional<UserPreferences> found = users.preferences().find(user);
        if (found.isEmpty()) {
            return noPreferences(user, "muting");
        }
        UserPreferences p = found.get();
        boolean partition = parts.length == 2;
        String what = (partition ? "partition " : "cluster ") + args;
        List<String> clusters = new ArrayList<>(p.mute().clusters());
        List<String> partitions = new ArrayList<>(p.mute().partitions());
        List<String> list = partition ? partitions : clusters;
        if (on == list.contains(args)) {
            return what + (on ? " is muted already" : " was not muted") + "; nothing changed.";
        }
        if (on) {
            list.add(args);
        } else {
            list.remove(args);
        }
        return save(
                p,
                chat,
                p.quietHours(),
                new Mute(clusters, partitions),
                on
                        ? "Muted " + what + ": " + user + " hears nothing from it until /unmute " + args + "."
                        : "Unmuted " + what + ": " + user + " hears from it again.");
    }

    private static String noPreferences(String user, String what) {
        return user + " has no preferences yet, so " + what + " has nothing to apply to (notifications follow each "
                + "job's --mail-user). Preferences with receivers come first: the web page, or an admin's `herald "
                + "prefs set " + user + "`.";
    }

    /** Saves through the codec's checks, so the bot can store nothing the API would refuse. */
    private String save(UserPreferences p, String chat, QuietHours quiet, Mute mute, String done) {
        UserPreferences changed = new UserPreferences(p.user(), p.receivers(), p.events(), quiet, mute, null, null);
        PreferencesCodec.Read read = codec.read(p.user(), codec.write(changed), null);
        if (read instanceof PreferencesCodec.Invalid(Map<String, String> errors)) {
            Map.Entry<String, String> first = errors.entrySet().iterator().next();
            return first.getKey() + " " + first.getValue() + "; nothing changed.";
        }
        users.preferences()
                .save(((PreferencesCodec.Valid) read).preferences().savedAt(clock.instant(), CHANNEL + ":" + chat));
        return done;
    }

    private String jobs(String user) {
        List<RecentJobs.JobNotice> recent = users.jobs().recent(user);
        if (recent.isEmpty()) {
            return "Herald has sent no notifications about jobs of " + user + " lately.";
        }
        StringBuilder out = new StringBuilder("Recent notifications for " + user + " (newest first):");
        for (RecentJobs.JobNotice n : recent.subList(0, Math.min(JOBS_LISTED, recent.size()))) {
            out.append("\n")
                    .append(n.at().atZone(defaultZone).format(WHEN))
                    .append("  job ")
                    .append(n.jobId())
                    .append(n.name() == null ? "" : " " + n.name())
                    .append(": ")
                    .append(n.event())
                    .append(n.state() == null ? "" : " " + n.state())
                    .append(" - ")
                    .append(summary(n));
        }
        return out.toString();
    }

    /** One word when every receiver's notification is in the same state, else each receiver's. */
    private String summary(RecentJobs.JobNotice n) {
        Map<String, String> states = new LinkedHashMap<>();
        n.sent().forEach(s -> states.put(s.receiver(), state(s.messageId())));
        if (states.values().stream().distinct().count() == 1) {
            return states.values().iterator().next();
        }
        return states.entrySet().stream()
                .map(e -> e.getKey() + " " + e.getValue())
                .collect(Collectors.joining(", "));
    }

    private String state(String messageId) {
        return status.find(messageId).map(u -> u.state().name()).orElse("on its way");
    }

    private String last(String user) {
        List<RecentJobs.JobNotice> recent = users.jobs().recent(user);
        if (recent.isEmpty()) {
            return "Herald has sent no notifications about jobs of " + user + " lately.";
        }
        RecentJobs.JobNotice n = recent.getFirst();
        StringBuilder out = new StringBuilder("Job " + n.jobId() + (n.name() == null ? "" : " (" + n.name() + ")"));
        out.append("\ncluster: ").append(n.cluster() == null ? "unknown" : n.cluster());
        out.append("\nevent: ").append(n.event()).append(n.state() == null ? "" : ", state " + n.state());
        out.append("\nsent: ")
                .append(n.at().atZone(defaultZone)
                        .format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss z", Locale.ROOT)));
        if (n.digest() != null) {
            out.append(" in a digest (").append(n.digest()).append(")");
        }
        for (RecentJobs.Sent s : n.sent()) {
            Optional<StatusUpdate> u = status.find(s.messageId());
            out.append("\n")
                    .append(s.receiver())
                    .append(": ")
                    .append(u.map(x -> x.state().name() + " at "
                                    + x.at().atZone(defaultZone).format(WHEN))
                            .orElse("on its way"));
        }
        return out.toString();
    }
}
