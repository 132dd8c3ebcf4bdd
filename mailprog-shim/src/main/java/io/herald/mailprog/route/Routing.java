package io.herald.mailprog.route;

import io.herald.core.preferences.ChatLinks;
import io.herald.core.receiver.ParsedReceivers;
import io.herald.core.receiver.Receiver;
import io.herald.core.receiver.ReceiverAllowList;
import io.herald.core.receiver.ReceiverParser;
import io.herald.core.receiver.ReceiverProblem;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * From --mail-user to receivers: goslmailer's syntax ({@code mailto:a@b.org,telegram:123,carol}), a bare name to the
 * default scheme (with the mail domain appended when that scheme is mailto), then the allow-lists and, for Telegram,
 * the registration. Everything refused is reported with its reason; the rest are delivered. A Telegram chat linked to
 * the job's owner ({@code /link}, then a job with {@code --mail-user=link:CODE}) counts as registered for that owner's
 * jobs.
 */
public final class Routing {

    /**
     * The receivers to deliver to and, in words, the items that were refused.
     *
     * @param usedDefault none of the items could be used, so the receivers are the job owner's default one
     */
    public record Routed(List<Receiver> receivers, List<String> problems, boolean usedDefault) {
        public Routed {
            receivers = List.copyOf(receivers);
            problems = List.copyOf(problems);
        }

        public Routed(List<Receiver> receivers, List<String> problems) {
            this(receivers, problems, false);
        }
    }

    private final ReceiverParser parser;
    private final String defaultScheme;
    private final String mailDomain;
    private final ReceiverAllowList allowList;
    private final Optional<ChatRegistry> telegramChats;
    private final Optional<ChatLinks> links;

    public Routing(
            ReceiverParser parser,
            String defaultScheme,
            String mailDomain,
            ReceiverAllowList allowList,
            Optional<ChatRegistry> telegramChats) {
        this(parser, defaultScheme, mailDomain, allowList, telegramChats, Optional.empty());
    }

    /** @param links chats linked to users: a chat linked to the job's owner needs no /start in the registry */
    public Routing(
            ReceiverParser parser,
            String defaultScheme,
            String mailDomain,
            ReceiverAllowList allowList,
            Optional<ChatRegistry> telegramChats,
            Optional<ChatLinks> links) {
        this.parser = parser;
        this.defaultScheme = defaultScheme;
        this.mailDomain = mailDomain == null ? "" : mailDomain.strip();
        this.allowList = allowList;
        this.telegramChats = telegramChats;
        this.links = links;
    }

    public Routed route(String mailUser) {
        return route(mailUser, null);
    }

    /** @param owner the job's owner (SLURM_JOB_USER), whose linked chats count as registered; null: nobody's */
    public Routed route(String mailUser, String owner) {
        ParsedReceivers parsed = parser.parse(withMailDomain(mailUser));
        List<String> problems = new ArrayList<>();
        for (ReceiverProblem p : parsed.problems()) {
            problems.add(p.toString());
        }
        return check(parsed.receivers(), problems, owner);
    }

    /**
     * The allow-lists and the Telegram registration for receivers from elsewhere (a user's preferences): they pass the
     * same gates as --mail-user's.
     *
     * @param earlier what was refused before; those refused here are added to them
     */
    public Routed check(List<Receiver> candidates, List<String> earlier) {
        return check(candidates, earlier, null);
    }

    /**
     * As {@link #check(List, List)}, with the owner's linked chats counting as registered.
     *
     * @throws io.herald.core.preferences.PreferencesStoreException when the links cannot be read: guessing could refuse
     *     the owner's own chat
     */
    public Routed check(List<Receiver> candidates, List<String> earlier, String owner) {
        List<String> problems = new ArrayList<>(earlier);
        List<Receiver> receivers = new ArrayList<>();
        for (Receiver r : candidates) {
            if (!allowList.allows(r.scheme(), r.target())) {
                problems.add(r.scheme() + ":" + r.target() + ": not allowed by mailprog.allowList");
            } else if (r.scheme().equals("telegram")
                    && telegramChats.isPresent()
                    && !telegramChats.get().isRegistered(r.target())
                    && !linkedToOwner(r, owner)) {
                problems.add(r.scheme() + ":" + r.target() + ": this chat has not sent /start to the Herald bot"
                        + (links.isPresent()
                                ? " nor been linked to " + (owner == null ? "the job's owner" : owner) + " with /link"
                                : ""));
            } else {
                receivers.add(r);
            }
        }
        return new Routed(receivers, problems);
    }

    /**
     * As {@link #route}, but when none of --mail-user's items can be used the job's owner still hears: the notification
     * goes to their default receiver (their user name, as a bare --mail-user would route it: the default scheme, with
     * the mail domain), and the problems say what was not used and why. The default receiver passes the allow-list like
     * any other; when it does not, or there is no user name, nothing is routed and the problems say both.
     *
     * @param user the job's owner (SLURM_JOB_USER), if known
     */
    public Routed routeOrDefault(String mailUser, String user) {
        Routed routed = route(mailUser, user);
        if (!routed.receivers().isEmpty()) {
            return routed;
        }
        List<String> problems = new ArrayList<>(routed.problems());
        if (user == null || user.isBlank() || user.contains(",") || user.contains(":")) {
            problems.add("no default receiver: the job's user name is unknown");
            return new Routed(List.of(), problems);
        }
        Routed fallback = route(user.strip(), user.strip());
        if (fallback.receivers().isEmpty()) {
            fallback.problems().forEach(p -> problems.add("default receiver '" + user.strip() + "': " + p));
            return new Routed(List.of(), problems);
        }
        return new Routed(fallback.receivers(), problems, true);
    }

    private boolean linkedToOwner(Receiver r, String owner) {
        return owner != null
                && links.isPresent()
                && links.get()
                        .linkOf(r.scheme(), r.target())
                        .filter(l -> l.user().equals(owner))
                        .isPresent();
    }

    /** Slurm passes the bare user name when --mail-user was not given; mail needs a domain for it. */
    private String withMailDomain(String mailUser) {
        if (mailUser == null || mailDomain.isEmpty() || !defaultScheme.equals("mailto")) {
            return mailUser;
        }
        String[] items = mailUser.split(",", -1);
        for (int i = 0; i < items.length; i++) {
            String item = items[i].strip();
            if (!item.isEmpty() && item.indexOf(':') < 0 && item.indexOf('@') < 0) {
                items[i] = item + "@" + mailDomain;
            }
        }
        return String.join(",", items);
    }
}
