package io.herald.core.config;

import java.time.Duration;
import java.util.List;

/**
 * Everything Herald can be configured with, read from {@code herald.yaml} and overridden by
 * {@code HERALD_*} environment variables (see {@link ConfigLoader}). {@link #defaults()} is what
 * {@code ./herald local} runs on; {@code herald.example.yaml} documents every key.
 */
public record HeraldConfig(
        Sqs sqs,
        Api api,
        Pipeline pipeline,
        Providers providers,
        Receivers receivers,
        Local local,
        MailprogConfig mailprog,
        TelegramBotConfig telegramBot) {

    /** The sections that existed before {@code mailprog} and {@code telegramBot}; those get their defaults. */
    public HeraldConfig(Sqs sqs, Api api, Pipeline pipeline, Providers providers, Receivers receivers, Local local) {
        this(sqs, api, pipeline, providers, receivers, local, MailprogConfig.defaults(), TelegramBotConfig.defaults());
    }

    /**
     * @param endpoint           SQS endpoint URL; empty means AWS's regional endpoint
     * @param region             AWS region
     * @param queues             queue names; producers spread messages over them, the pipeline reads all
     * @param deadLetterSuffix   a queue's dead-letter queue is named queue + suffix
     * @param maxReceiveCount    receives before SQS moves a message to the dead-letter queue
     * @param visibilityTimeout  how long a received message stays hidden from other readers
     * @param maxConnections     HTTP connections the SQS client may open
     */
    public record Sqs(String endpoint, String region, List<String> queues, String deadLetterSuffix,
                      int maxReceiveCount, Duration visibilityTimeout, int maxConnections) {
    }

    /**
     * @param host          interface to listen on
     * @param port          TCP port (0 picks a free one)
     * @param maxBodyBytes  largest request body accepted
     */
    public record Api(String host, int port, int maxBodyBytes) {
    }

    /**
     * @param sendTimeout  longest a provider call may take; must be shorter than sqs.visibilityTimeout
     * @param receiveWait  long-polling wait of each ReceiveMessage (0–20 s)
     */
    public record Pipeline(Duration sendTimeout, Duration receiveWait) {
    }

    /**
     * One block per provider. Every block has {@code enabled} and {@code weight}: the enabled
     * providers of a channel form that channel's pool, and healthy ones share its messages by
     * weight. Adding a provider adds one block here.
     */
    public record Providers(Outbox outbox, ProviderConfig.Ses ses, ProviderConfig.SendGrid sendgrid,
                            ProviderConfig.Smtp smtp, ProviderConfig.Msteams msteams, ProviderConfig.Telegram telegram,
                            ProviderConfig.Slack slack, ProviderConfig.Mattermost mattermost,
                            ProviderConfig.Discord discord, ProviderConfig.Matrix matrix) {

        /** Only the outbox enabled; every other provider off, pointing at its public endpoint. */
        public static Providers defaults() {
            return new Providers(new Outbox(true, 1, "outbox"), ProviderConfig.Ses.defaults(),
                    ProviderConfig.SendGrid.defaults(), ProviderConfig.Smtp.defaults(),
                    ProviderConfig.Msteams.defaults(), ProviderConfig.Telegram.defaults(),
                    ProviderConfig.Slack.defaults(), ProviderConfig.Mattermost.defaults(),
                    ProviderConfig.Discord.defaults(), ProviderConfig.Matrix.defaults());
        }

        public Providers withOutbox(Outbox newOutbox) {
            return new Providers(newOutbox, ses, sendgrid, smtp, msteams, telegram, slack, mattermost, discord, matrix);
        }
    }

    /**
     * @param enabled  whether the pipeline delivers email through it
     * @param weight   its share of the email channel among healthy providers (1–1000)
     * @param dir      directory it writes one .eml file per email into
     */
    public record Outbox(boolean enabled, int weight, String dir) {
    }

    /** @param defaultScheme scheme for receivers written without one (e.g. a bare Slurm user name) */
    public record Receivers(String defaultScheme) {
    }

    /** @param sqsPort port of the embedded SQS server that {@code ./herald local} starts */
    public record Local(int sqsPort) {
    }

    public static HeraldConfig defaults() {
        return new HeraldConfig(
                new Sqs("", "us-east-1", List.of("herald-1", "herald-2"), "-dlq", 5, Duration.ofSeconds(60), 50),
                new Api("127.0.0.1", 8080, 256 * 1024),
                new Pipeline(Duration.ofSeconds(10), Duration.ofSeconds(20)),
                Providers.defaults(),
                new Receivers("mailto"),
                new Local(9324),
                MailprogConfig.defaults(),
                TelegramBotConfig.defaults());
    }

    public HeraldConfig withMailprog(MailprogConfig newMailprog) {
        return new HeraldConfig(sqs, api, pipeline, providers, receivers, local, newMailprog, telegramBot);
    }

    public HeraldConfig withReceivers(Receivers newReceivers) {
        return new HeraldConfig(sqs, api, pipeline, providers, newReceivers, local, mailprog, telegramBot);
    }

    public HeraldConfig withTelegramBot(TelegramBotConfig newTelegramBot) {
        return new HeraldConfig(sqs, api, pipeline, providers, receivers, local, mailprog, newTelegramBot);
    }

    public HeraldConfig withSqs(Sqs newSqs) {
        return new HeraldConfig(newSqs, api, pipeline, providers, receivers, local, mailprog, telegramBot);
    }

    public HeraldConfig withApi(Api newApi) {
        return new HeraldConfig(sqs, newApi, pipeline, providers, receivers, local, mailprog, telegramBot);
    }

    public HeraldConfig withProviders(Providers newProviders) {
        return new HeraldConfig(sqs, api, pipeline, newProviders, receivers, local, mailprog, telegramBot);
    }
}
