package io.herald.mailprog.route;

import io.herald.core.preferences.ChatLinks;
import io.herald.core.preferences.PreferencesCodec;
import io.herald.core.preferences.PreferencesStoreException;
import io.herald.mailprog.slurm.JobEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The second half of linking a chat to a Unix user: a job submitted with {@code --mail-user=link:CODE} redeems the code
 * the bot gave a chat ({@code /link}). SLURM_JOB_USER, vouched for by slurmctld and munge, is the user; the code proves
 * the chat asked. Each {@code link:} item is taken out of --mail-user and nothing else is sent for it; the chat is told
 * the outcome (a code that expired names its chat, so that chat hears why), and what can be told to nobody goes to the
 * log.
 */
public final class ChatLinking {

    /** The scheme of the --mail-user item that carries a code. */
    public static final String SCHEME = "link";

    /** A message for the chat a code named. */
    public record ChatReply(String channel, String chatId, String title, String text) {}

    /**
     * @param rest --mail-user without its {@code link:} items (empty when it had nothing else)
     * @param replies what the chats named by the codes are told
     * @param linked receivers linked by this job, e.g. {@code telegram:123}
     * @param refused why codes did not link, one line each, for the log (never the code itself: it may still be good
     *     for its chat)
     */
    public record Outcome(String rest, List<ChatReply> replies, List<String> linked, List<String> refused) {
        public Outcome {
            replies = List.copyOf(replies);
            linked = List.copyOf(linked);
            refused = List.copyOf(refused);
        }
    }

    private final Optional<ChatLinks> links;

    /** @param links where codes and links are kept; empty: linking is off (mailprog.preferences.enabled) */
    public ChatLinking(Optional<ChatLinks> links) {
        this.links = links;
    }

    /** Whether --mail-user has a {@code link:} item. */
    public static boolean mentionsLink(String mailUser) {
        if (mailUser == null) {
            return false;
        }
        for (String item : mailUser.split(",", -1)) {
            if (isLink(item)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isLink(String item) {
        String s = item.strip();
        return s.length() > SCHEME.length()
                && s.substring(0, SCHEME.length() + 1).toLowerCase(Locale.ROOT).equals(SCHEME + ":");
    }

    /**
     * Redeems the event's codes and links their chats to the event's user.
     *
     * @throws PreferencesStoreException when the store cannot be reached; nothing was redeemed after the failure, so
     *     the caller keeps the event and tries again
     */
    public Outcome take(JobEvent event, Instant now) {
        List<String> rest = new ArrayList<>();
        List<String> codes = new ArrayList<>();
        for (String item : event.mailUser().split(",", -1)) {
            if (isLink(item)) {
                codes.add(item.strip().substring(SCHEME.length() + 1));
            } else if (!item.isBlank()) {
                rest.add(item.strip());
            }
        }
        List<ChatReply> replies = new ArrayList<>();
        List<String> linked = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        String user = event.user() == null ? null : event.user().strip();
        String cluster = event.cluster() == null || event.cluster().isBlank()
                ? null
                : event.cluster().strip();
        for (String code : codes) {
            if (links.isEmpty()) {
                refused.add("--mail-user=link:… needs users' preferences (mailprog.preferences.enabled and the status"
                        + " table); nothing linked");
                continue;
            }
            if (user == null || PreferencesCodec.userProblem(user) != null) {
                // The code is left as it is: the user may try again with a job Slurm names them in.
                refused.add("--mail-user=link:… in a job without a usable SLURM_JOB_USER; nothing linked");
                continue;
            }
            switch (links.get().redeem(code, now)) {
                case ChatLinks.Redeemed(String channel, String chat) -> {
                    links.get().link(user, channel, chat, cluster, now);
                    linked.add(channel + ":" + chat);
                    replies.add(new ChatReply(
                            channel,
                            chat,
                            "Linked to " + user,
                            "This chat is now linked to Unix user " + user
                                    + (cluster == null ? "" : " on cluster " + cluster) + " (proved by job "
                                    + event.displayId()
                                    + "). Jobs of " + user + " may send notifications here, and here "
                                    + "you can use /prefs, /quiet, /mute, /unmute, /jobs and /last."));
                }
                case ChatLinks.Expired(String channel, String chat) -> {
                    refused.add("job " + event.displayId() + " of " + user + ": the link code for " + channel + ":"
                            + chat + " expired before the job used it; nothing linked");
                    replies.add(new ChatReply(
                            channel,
                            chat,
                            "Link code expired",
                            "Job " + event.displayId() + " of "
                                    + user + " used this chat's link code after it expired (codes last "
                                    + ChatLinks.CODE_LIFETIME.toMinutes()
                                    + " minutes); nothing was linked. Send /link for a "
                                    + "new code."));
                }
                case ChatLinks.UnknownCode() ->
                    refused.add("job " + event.displayId() + " of " + user
                            + ": the link code in --mail-user is unknown, already used or expired; nothing linked");
            }
        }
        return new Outcome(String.join(",", rest), replies, linked, refused);
    }
}
