package io.herald.mailprog.telegram;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.core.retry.Backoff;
import io.herald.core.retry.Sleeps;
import io.herald.mailprog.route.ChatRegistry;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * tgslurmbot's job: tell a chat what to write in --mail-user to get job notifications there.
 *
 * <p>It long-polls getUpdates and answers {@code /start} in a private chat; in a group it answers only when addressed
 * ({@code /start@ThisBot}, a mention of it, or being added to the group), so it does not talk over people or other
 * bots. Each chat it answers is recorded in the registry when one is configured: the forwarder then sends only to chats
 * that asked.
 *
 * <p>With {@link BotCommands}, a private chat can also link itself to a Unix user ({@code /link}) and then read and
 * change that user's preferences and recent jobs; in a group those commands are refused.
 */
public final class TelegramBot implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TelegramBot.class);
    private static final Backoff RETRIES = new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(1));

    private final TelegramApi api;
    private final Optional<ChatRegistry> registry;
    private final Duration pollTimeout;
    private final Optional<BotCommands> commands;
    private long botId;
    private String username = "";
    private long offset;
    private volatile boolean running = true;
    private Thread thread;

    public TelegramBot(TelegramApi api, Optional<ChatRegistry> registry, Duration pollTimeout) {
        this(api, registry, pollTimeout, Optional.empty());
    }

    /** @param commands /link, /prefs, /jobs and the rest; empty: the bot answers /start only */
    public TelegramBot(
            TelegramApi api, Optional<ChatRegistry> registry, Duration pollTimeout, Optional<BotCommands> commands) {
        this.api = api;
        this.registry = registry;
        this.pollTimeout = pollTimeout;
        this.commands = commands;
    }

    /** Learns the bot's own name (getMe); must succeed before {@link #pollOnce()}. */
    public TelegramBot identify() {
        JsonNode me = api.getMe();
        botId = me.path("id").asLong();
        username = me.path("username").asText("");
        log.info("Telegram bot @{} ready", username);
        return this;
    }

    /** Polls in the background until closed, backing off while Telegram fails. */
    public TelegramBot start() {
        thread = Thread.ofPlatform().name("telegram-bot").start(() -> {
            int failures = 0;
            while (running) {
                try {
                    if (username.isEmpty()) {
                        identify();
                    }
                    pollOnce();
                    failures = 0;
                } catch (TelegramApiException e) {
                    if (!running) {
                        break;
                    }
                    Duration backoff = RETRIES.step(++failures);
                    log.warn(
                            "{}{}; retrying in {}s",
                            e.getMessage(),
                            e.status() == 401
                                    ? " (the bot token was refused)"
                                    : e.status() == 409
                                            ? " (another getUpdates poller or a webhook uses this bot)"
                                            : "",
                            backoff.toSeconds());
                    Sleeps.quietly(backoff);
                }
            }
        });
        return this;
    }

    /** One getUpdates round trip; answers what needs answering. @return updates handled */
    public int pollOnce() {
        int n = 0;
        for (JsonNode update : api.getUpdates(offset, pollTimeout)) {
            offset = Math.max(offset, update.path("update_id").asLong() + 1);
            try {
                handle(update);
            } catch (TelegramApiException e) {
                log.warn(
                        "answering update {} failed: {}",
                        update.path("update_id").asLong(),
                        e.getMessage());
            }
            n++;
        }
        return n;
    }

    private void handle(JsonNode update) {
        JsonNode message = update.path("message");
        if (message.isMissingNode()) {
            return;
        }
        JsonNode chat = message.path("chat");
        long chatId = chat.path("id").asLong();
        String type = chat.path("type").asText("");
        String text = message.path("text").asText("");
        boolean isPrivate = type.equals("private");
        if (commands.isPresent() && command(chatId, text, isPrivate)) {
            return;
        }
        if (addedToGroup(message) || (isPrivate ? isStart(text, true) : addressed(text, message))) {
            reply(chatId, isPrivate);
        }
    }

    /**
     * Answers one of {@link BotCommands}' commands: in a private chat bare or as {@code /cmd@ThisBot}; in a group only
     * addressed to this bot, and then with a refusal, as a group has no single Unix user.
     *
     * @return whether the text was such a command
     */
    private boolean command(long chatId, String text, boolean isPrivate) {
        String[] words = text.strip().split("\\s+", 2);
        String first = words[0].toLowerCase(Locale.ROOT);
        int at = first.indexOf('@');
        boolean addressed =
                at > 0 && !username.isEmpty() && first.substring(at + 1).equalsIgnoreCase(username);
        String name = at > 0 ? first.substring(0, at) : first;
        // A command for another bot (/prefs@OtherBot), or a bare one in a group, is not this bot's business.
        if (!BotCommands.isCommand(name) || at > 0 && !addressed || !isPrivate && !addressed) {
            return false;
        }
        String reply = isPrivate
                ? commands.get().answer(chatId, name, words.length > 1 ? words[1].strip() : "")
                : "Herald's " + name + " works only in a private chat with me: a group has no single Unix user.";
        api.sendMessage(chatId, reply);
        log.info("answered {} in {} chat {}", name, isPrivate ? "private" : "group", chatId);
        return true;
    }

    private boolean addedToGroup(JsonNode message) {
        for (JsonNode member : message.path("new_chat_members")) {
            if (member.path("id").asLong() == botId && botId != 0) {
                return true;
            }
        }
        return false;
    }

    /** {@code /start}, or in groups only {@code /start@ThisBot}: a bare command there may be for another bot. */
    private boolean isStart(String text, boolean bareAllowed) {
        String first = text.strip().split("\\s+", 2)[0];
        if (first.equalsIgnoreCase("/start")) {
            return bareAllowed;
        }
        return !username.isEmpty() && first.equalsIgnoreCase("/start@" + username);
    }

    private boolean addressed(String text, JsonNode message) {
        if (isStart(text, false)) {
            return true;
        }
        if (username.isEmpty()) {
            return false;
        }
        for (JsonNode entity : message.path("entities")) {
            if (entity.path("type").asText().equals("mention")) {
                int from = entity.path("offset").asInt();
                int to = from + entity.path("length").asInt();
                // Offsets are in UTF-16 code units, as Java strings are.
                if (to <= text.length() && text.substring(from, to).equalsIgnoreCase("@" + username)) {
                    return true;
                }
            }
        }
        return false;
    }

    private void reply(long chatId, boolean isPrivate) {
        String mailUser = "--mail-user=telegram:" + chatId;
        String text = "To get Slurm job notifications in this " + (isPrivate ? "chat" : "group")
                + ", submit jobs with:\n\n" + mailUser + "\n\n"
                + "(with --mail-type=ALL, or the events you want; combine receivers with commas: "
                + "--mail-user=telegram:" + chatId + ",mailto:you@example.org)";
        if (isPrivate && commands.isPresent()) {
            text += "\n\nOr send /link to link this chat to your Unix user: then /prefs, /quiet, /mute, /jobs and "
                    + "/last work here (/help lists them).";
        }
        registry.ifPresent(r -> r.register(chatId));
        api.sendMessage(chatId, text);
        log.info(
                "answered {} chat {} with {}",
                isPrivate ? "private" : "group",
                chatId,
                mailUser.toLowerCase(Locale.ROOT));
    }

    @Override
    public void close() {
        running = false;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        api.close();
    }
}
