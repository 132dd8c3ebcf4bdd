package io.herald.core.receiver;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Checks that a target is well-formed for its channel. Returns the reason when it is not, so
 * the parser can report it without throwing.
 */
@FunctionalInterface
public interface TargetRule {

    /** @return empty when the target is acceptable, otherwise what is wrong with it */
    Optional<String> check(String target);

    /** Any non-blank target without whitespace or control characters. */
    TargetRule ANY = target -> target.codePoints().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))
            ? Optional.of("contains whitespace or control characters")
            : Optional.empty();

    /** A mailbox address: see {@link EmailAddresses#problem(String)}. */
    TargetRule EMAIL = EmailAddresses::problem;

    /** A Telegram chat: a (possibly negative) numeric chat id, or a public {@code @channelname}. */
    TargetRule TELEGRAM_CHAT = target -> Patterns.TELEGRAM.matcher(target).matches()
            ? Optional.empty()
            : Optional.of("not a Telegram chat id (a number such as 123456789 or -1001234567890, or @channelname)");

    /** A Matrix room id ({@code !id:server}), room alias ({@code #alias:server}) or user ({@code @user:server}). */
    TargetRule MATRIX_ROOM = target -> Patterns.MATRIX.matcher(target).matches()
            ? Optional.empty()
            : Optional.of("not a Matrix room (!room:server.org), alias (#name:server.org) or user (@name:server.org)");

    /** Holder so the patterns compile once; interfaces cannot have private static fields. */
    final class Patterns {
        static final Pattern TELEGRAM = Pattern.compile("-?[0-9]{1,20}|@[A-Za-z][A-Za-z0-9_]{3,31}");
        static final Pattern MATRIX = Pattern.compile("[!#@][^:\\s]+:[A-Za-z0-9.\\-\\[\\]]+(:[0-9]{1,5})?");

        private Patterns() {
        }
    }
}
