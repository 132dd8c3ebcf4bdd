package io.herald.cli;

import io.herald.core.provider.telegram.TelegramConfig;
import io.herald.core.config.ConfigLoader;
import io.herald.core.config.HeraldConfig;
import io.herald.core.config.Secret;
import io.herald.mailprog.route.ChatRegistry;
import io.herald.mailprog.telegram.TelegramApi;
import io.herald.mailprog.telegram.TelegramApiException;
import io.herald.mailprog.telegram.TelegramBot;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;

@Command(name = "telegram-bot", mixinStandardHelpOptions = true,
        description = {"Run the Telegram bot: answers /start (in a private chat, or addressed in a group) with the",
                "--mail-user=telegram:<chat id> to put in job scripts. Uses telegramBot.botToken, else",
                "providers.telegram.botToken: it must be the bot that sends the notifications."})
final class TelegramBotCommand implements Callable<Integer> {

    @Mixin
    ConfigOption config;

    @Override
    public Integer call() throws Exception {
        HeraldConfig cfg = MailprogCommand.load(config);
        Secret token = cfg.telegramBot().botToken().isSet() ? cfg.telegramBot().botToken() : cfg.providers().of(TelegramConfig.class).botToken();
        if (!token.isSet()) {
            throw new StartupException("telegramBot.botToken (" + ConfigLoader.environmentVariable("telegramBot.botToken")
                    + ") is empty, and so is providers.telegram.botToken ("
                    + ConfigLoader.environmentVariable("providers.telegram.botToken") + "); set one to the token @BotFather gave you");
        }
        String baseUrl = cfg.telegramBot().baseUrl().isBlank() ? cfg.providers().of(TelegramConfig.class).baseUrl() : cfg.telegramBot().baseUrl();
        Optional<ChatRegistry> registry = cfg.telegramBot().registry().isBlank() ? Optional.empty()
                : Optional.of(new ChatRegistry(Path.of(cfg.telegramBot().registry())));
        TelegramBot bot = new TelegramBot(new TelegramApi(URI.create(baseUrl), token), registry, cfg.telegramBot().pollTimeout());
        try {
            bot.identify();
        } catch (TelegramApiException e) {
            bot.close();
            throw new StartupException("the Telegram bot cannot start: " + e.getMessage());
        }
        bot.start();
        System.out.println("Herald Telegram bot answering /start");
        Services.runUntilStopped("telegram bot", bot);
        return 0;
    }
}
