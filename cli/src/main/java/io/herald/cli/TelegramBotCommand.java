package io.herald.cli;

import io.herald.core.config.ConfigLoader;
import io.herald.core.config.HeraldConfig;
import io.herald.core.config.Secret;
import io.herald.core.provider.telegram.TelegramConfig;
import io.herald.core.status.DynamoStatusStore;
import io.herald.mailprog.route.ChatRegistry;
import io.herald.mailprog.telegram.BotCommands;
import io.herald.mailprog.telegram.TelegramApi;
import io.herald.mailprog.telegram.TelegramApiException;
import io.herald.mailprog.telegram.TelegramBot;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneId;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

@Command(
        name = "telegram-bot",
        mixinStandardHelpOptions = true,
        description = {
            "Run the Telegram bot: answers /start (in a private chat, or addressed in a group) with the",
            "--mail-user=telegram:<chat id> to put in job scripts. Uses telegramBot.botToken, else",
            "providers.telegram.botToken: it must be the bot that sends the notifications.",
            "With mailprog.preferences.enabled it also answers, in private chats: /link (a one-time code; a job",
            "submitted with --mail-user=link:CODE links the chat to the job's Unix user), and in a linked chat",
            "/prefs, /quiet 22:00-07:00 [ZONE], /quiet off, /mute CLUSTER[/PARTITION], /unmute, /jobs, /last",
            "(the user's recent notifications from the status table; Slurm is never asked) and /help."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:stopped on request", "1:could not start (one line says why)", "2:bad usage or configuration"
        })
final class TelegramBotCommand implements Callable<Integer> {

    @Mixin
    ConfigOption config;

    @Override
    public Integer call() throws Exception {
        HeraldConfig cfg = MailprogCommand.load(config);
        Secret token = cfg.telegramBot().botToken().isSet()
                ? cfg.telegramBot().botToken()
                : cfg.providers().of(TelegramConfig.class).botToken();
        if (!token.isSet()) {
            throw new StartupException(
                    "telegramBot.botToken (" + ConfigLoader.environmentVariable("telegramBot.botToken")
                            + ") is empty, and so is providers.telegram.botToken ("
                            + ConfigLoader.environmentVariable("providers.telegram.botToken")
                            + "); set one to the token @BotFather gave you");
        }
        String baseUrl = cfg.telegramBot().baseUrl().isBlank()
                ? cfg.providers().of(TelegramConfig.class).baseUrl()
                : cfg.telegramBot().baseUrl();
        Optional<ChatRegistry> registry = cfg.telegramBot().registry().isBlank()
                ? Optional.empty()
                : Optional.of(new ChatRegistry(Path.of(cfg.telegramBot().registry())));
        // Linking and the commands need the status table: the same switch as the forwarder's preferences.
        Optional<DynamoDbClient> dynamo = MailprogCommand.preferencesClient(cfg);
        Optional<BotCommands> commands = MailprogCommand.userStores(cfg, dynamo)
                .map(users -> new BotCommands(
                        users,
                        new DynamoStatusStore(
                                dynamo.orElseThrow(),
                                cfg.status().table(),
                                cfg.status().ttl(),
                                Clock.systemUTC()),
                        zone(cfg),
                        Clock.systemUTC()));
        TelegramBot bot = new TelegramBot(
                new TelegramApi(URI.create(baseUrl), token),
                registry,
                cfg.telegramBot().pollTimeout(),
                commands);
        try {
            bot.identify();
        } catch (TelegramApiException e) {
            bot.close();
            dynamo.ifPresent(DynamoDbClient::close);
            throw new StartupException("the Telegram bot cannot start: " + e.getMessage());
        }
        bot.start();
        System.out.println("Herald Telegram bot answering /start"
                + (commands.isPresent() ? ", /link and the preference and job commands" : ""));
        Services.runUntilStopped("telegram bot", () -> {
            bot.close();
            dynamo.ifPresent(DynamoDbClient::close);
        });
        return 0;
    }

    /** Where quiet hours are when a user names no zone, and times are shown: mailprog.timeZone, else the host's. */
    private static ZoneId zone(HeraldConfig cfg) {
        String z = cfg.mailprog().timeZone();
        return z == null || z.isBlank() ? ZoneId.systemDefault() : ZoneId.of(z.strip());
    }
}
