package io.herald.api;

import io.herald.core.preferences.ChatLinks.ChatLink;
import io.herald.core.preferences.UserPreferences;
import io.herald.core.receiver.Receiver;
import java.util.List;
import java.util.Optional;

/**
 * Where a user's magic link goes: their current default receiver. Only places proven to be the user's qualify: the
 * mailbox Slurm itself mails ({@code user@mailDomain}) and chats linked with {@code /link} (a job of the user redeemed
 * the chat's code). A chat the preferences name but nobody linked is never used: anyone may type a chat id, so it
 * proves nothing.
 *
 * <ol>
 *   <li>The first of the preferences' receivers, in the user's order, that is a chat linked to the user;
 *   <li>else {@code user@mailDomain} when a mail domain is configured;
 *   <li>else the chat linked to the user last;
 *   <li>else nowhere: the link is not sent (the answer is the same).
 * </ol>
 */
sealed interface MagicLinkDestination {

    /** The user's mailbox. */
    record Mailbox(String address) implements MagicLinkDestination {}

    /** A chat linked to the user; {@code named}: their preferences name it as a receiver. */
    record LinkedChat(ChatLink chat, boolean named) implements MagicLinkDestination {}

    /** No proven place: no mail domain and no linked chat. */
    record Nowhere() implements MagicLinkDestination {}

    /**
     * @param mailDomain mailprog.mailDomain, blank when not configured
     * @param links the user's linked chats, oldest first ({@link io.herald.core.preferences.ChatLinks#linksOf})
     * @param preferences the user's preferences, if saved
     */
    static MagicLinkDestination choose(
            String user, String mailDomain, List<ChatLink> links, Optional<UserPreferences> preferences) {
        Optional<ChatLink> named = preferences.stream()
                .flatMap(p -> p.receivers().values().stream())
                .flatMap(r -> links.stream().filter(l -> isChat(r, l)))
                .findFirst();
        if (named.isPresent()) {
            return new LinkedChat(named.get(), true);
        }
        if (mailDomain != null && !mailDomain.isBlank()) {
            return new Mailbox(user + "@" + mailDomain.strip());
        }
        if (!links.isEmpty()) {
            return new LinkedChat(links.getLast(), false);
        }
        return new Nowhere();
    }

    private static boolean isChat(Receiver receiver, ChatLink link) {
        return receiver.channel().equals(link.channel()) && receiver.target().equals(link.chatId());
    }
}
