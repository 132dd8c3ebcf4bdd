package io.herald.mailprog.route;

import io.herald.core.receiver.ParsedReceivers;
import io.herald.core.receiver.Receiver;
import io.herald.core.receiver.ReceiverAllowList;
import io.herald.core.receiver.ReceiverParser;
import io.herald.core.receiver.ReceiverProblem;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * From --mail-user to receivers: goslmailer's syntax ({@code mailto:a@b.org,telegram:123,carol}),
 * a bare name to the default scheme (with the mail domain appended when that scheme is mailto),
 * then the allow-lists and, for Telegram, the registration. Everything refused is reported with
 * its reason; the rest are delivered.
 */
public final class Routing {

    /** The receivers to deliver to and, in words, the items that were refused. */
    public record Routed(List<Receiver> receivers, List<String> problems) {
        public Routed {
            receivers = List.copyOf(receivers);
            problems = List.copyOf(problems);
        }
    }

    private final ReceiverParser parser;
    private final String defaultScheme;
    private final String mailDomain;
    private final ReceiverAllowList allowList;
    private final Optional<ChatRegistry> telegramChats;

    public Routing(ReceiverParser parser, String defaultScheme, String mailDomain, ReceiverAllowList allowList,
                   Optional<ChatRegistry> telegramChats) {
        this.parser = parser;
        this.defaultScheme = defaultScheme;
        this.mailDomain = mailDomain == null ? "" : mailDomain.strip();
        this.allowList = allowList;
        this.telegramChats = telegramChats;
    }

    public Routed route(String mailUser) {
        ParsedReceivers parsed = parser.parse(withMailDomain(mailUser));
        List<String> problems = new ArrayList<>();
        for (ReceiverProblem p : parsed.problems()) {
            problems.add(p.toString());
        }
        List<Receiver> receivers = new ArrayList<>();
        for (Receiver r : parsed.receivers()) {
            if (!allowList.allows(r.scheme(), r.target())) {
                problems.add(r.scheme() + ":" + r.target() + ": not allowed by mailprog.allowList");
            } else if (r.scheme().equals("telegram") && telegramChats.isPresent()
                    && !telegramChats.get().isRegistered(r.target())) {
                problems.add(r.scheme() + ":" + r.target() + ": this chat has not sent /start to the Herald bot");
            } else {
                receivers.add(r);
            }
        }
        return new Routed(receivers, problems);
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
