package io.herald.core.preferences;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Chats proven to belong to a Unix user. A bot hands a chat a one-time code ({@link #issueCode}); the user submits a
 * job with {@code --mail-user=link:CODE}, and the forwarder, which sees SLURM_JOB_USER vouched for by slurmctld and
 * munge, redeems it ({@link #redeem}) and records the link ({@link #link}). A store that cannot be reached throws
 * {@link PreferencesStoreException}.
 */
public interface ChatLinks {

    /** How long a code can be redeemed after it was issued. */
    Duration CODE_LIFETIME = Duration.ofMinutes(15);

    /** What came of redeeming a code. */
    sealed interface Redemption permits Redeemed, Expired, UnknownCode {}

    /** The code was good: it named this chat, and it is used up now. */
    record Redeemed(String channel, String chatId) implements Redemption {}

    /** The code named this chat but was older than {@link #CODE_LIFETIME}; it is gone now too. */
    record Expired(String channel, String chatId) implements Redemption {}

    /** No such code: mistyped, never issued, used already, or swept away after expiring. */
    record UnknownCode() implements Redemption {}

    /**
     * One chat linked to one user.
     *
     * @param cluster the cluster whose job proved it (SLURM_CLUSTER_NAME), or null
     * @param linkedAt when
     */
    record ChatLink(String user, String channel, String chatId, String cluster, Instant linkedAt) {
        /** As --mail-user writes it, e.g. {@code telegram:123456}. */
        public String receiver() {
            return channel + ":" + chatId;
        }
    }

    /** A fresh code for this chat, valid {@link #CODE_LIFETIME} from {@code now}, usable once. */
    String issueCode(String channel, String chatId, Instant now);

    /**
     * Uses a code up. Of two redemptions of one code racing, exactly one gets {@link Redeemed}; the other gets
     * {@link UnknownCode}.
     */
    Redemption redeem(String code, Instant now);

    /** Links the chat to the user; a chat linked to another user before is theirs no more. */
    void link(String user, String channel, String chatId, String cluster, Instant at);

    /** Whom the chat is linked to. */
    Optional<ChatLink> linkOf(String channel, String chatId);

    /** The user's linked chats, oldest first (for a magic link or a notice sent to "their chat"). */
    List<ChatLink> linksOf(String user);
}
