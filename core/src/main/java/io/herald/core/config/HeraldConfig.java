package io.herald.core.config;

import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.herald.core.provider.ProviderDescriptor;
import io.herald.core.provider.ProviderRegistry;
import io.herald.core.provider.ProviderSettings;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Everything Herald can be configured with, read from {@code herald.yaml} and overridden by
 * {@code HERALD_*} environment variables (see {@link ConfigLoader}). {@link #defaults()} is what
 * {@code ./herald local} runs on; {@code herald.example.yaml} documents every key.
 */
public record HeraldConfig(
        Sqs sqs,
        Api api,
        PipelineSettings pipeline,
        ProviderBlocks providers,
        Receivers receivers,
        Status status,
        Local local,
        MailprogConfig mailprog,
        TelegramBotConfig telegramBot,
        Control control,
        Logging logging,
        Serve serve) {

    /** The sections that existed before {@code logging} and {@code serve}; those get their defaults. */
    public HeraldConfig(Sqs sqs, Api api, PipelineSettings pipeline, ProviderBlocks providers,
                        Receivers receivers, Status status,
                        Local local, MailprogConfig mailprog, TelegramBotConfig telegramBot, Control control) {
        this(sqs, api, pipeline, providers, receivers, status, local, mailprog, telegramBot, control,
                Logging.defaults(), Serve.defaults());
    }

    /** The sections that existed before {@code serve}; that section gets its defaults. */
    public HeraldConfig(Sqs sqs, Api api, PipelineSettings pipeline, ProviderBlocks providers,
                        Receivers receivers, Status status,
                        Local local, MailprogConfig mailprog, TelegramBotConfig telegramBot, Control control,
                        Logging logging) {
        this(sqs, api, pipeline, providers, receivers, status, local, mailprog, telegramBot, control, logging,
                Serve.defaults());
    }

    /** The sections that existed before {@code logging}; that section gets its defaults. */
    public HeraldConfig(Sqs sqs, Api api, PipelineSettings pipeline, ProviderBlocks providers,
                        Receivers receivers, Status status,
                        Local local, MailprogConfig mailprog, TelegramBotConfig telegramBot, Control control,
                        Serve serve) {
        this(sqs, api, pipeline, providers, receivers, status, local, mailprog, telegramBot, control,
                Logging.defaults(), serve);
    }

    /** The sections that existed before {@code control}; that section gets its defaults. */
    public HeraldConfig(Sqs sqs, Api api, PipelineSettings pipeline, ProviderBlocks providers,
                        Receivers receivers, Status status,
                        Local local, MailprogConfig mailprog, TelegramBotConfig telegramBot) {
        this(sqs, api, pipeline, providers, receivers, status, local, mailprog, telegramBot, Control.defaults());
    }

    /** The sections that existed before {@code mailprog} and {@code telegramBot}; those get their defaults. */
    public HeraldConfig(Sqs sqs, Api api, PipelineSettings pipeline, ProviderBlocks providers,
                        Receivers receivers, Status status,
                        Local local) {
        this(sqs, api, pipeline, providers, receivers, status, local, MailprogConfig.defaults(),
                TelegramBotConfig.defaults());
    }

    /** The sections that existed before {@code status}; that section gets its defaults. */
    public HeraldConfig(Sqs sqs, Api api, PipelineSettings pipeline, ProviderBlocks providers,
                        Receivers receivers, Local local) {
        this(sqs, api, pipeline, providers, receivers, defaults().status(), local);
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

        public Sqs withEndpoint(String newEndpoint) {
            return new Sqs(newEndpoint, region, queues, deadLetterSuffix, maxReceiveCount, visibilityTimeout, maxConnections);
        }
    }

    /**
     * @param host               interface to listen on
     * @param port               TCP port (0 picks a free one)
     * @param maxBodyBytes       largest request body accepted
     * @param idempotencyWindow  how long a request's Idempotency-Key is remembered
     * @param batchWait          longest a request waits for others to share its `queued` status write (the SQS
     *                           batches that follow it never wait)
     * @param open               serve without API keys when {@code keys} is empty ({@code ./herald local} always may)
     * @param keys               API keys, one {@code name=... sha256=... senders=...|... rate=N/s|m|h} per entry
     *                           (see {@link ApiKeyEntry}); the token itself is never configured, only its hash
     * @param maxReceiversPerRequest  items of a request's {@code to} read at most (more: one 422), and the
     *                                receivers per request of a key without {@code maxReceivers=}
     * @param idleTimeout        a connection that sends nothing for this long (mid-headers, mid-body) is closed
     * @param minRequestDataRate bytes per second a request body must arrive at, on average; slower: 408
     */
    public record Api(String host, int port, int maxBodyBytes, Duration idempotencyWindow, Duration batchWait,
                      boolean open, List<String> keys, int maxReceiversPerRequest, Duration idleTimeout,
                      int minRequestDataRate) {

        public static final int DEFAULT_MAX_RECEIVERS_PER_REQUEST = 50;
        public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(30);
        /**
         * 4 KiB/s: a 256 KiB body within 64 s. Jetty measures from the body's first byte, so a small body
         * split over packets with a long pause between them can fall below a high rate; 4 KiB/s leaves
         * legitimate clients far above it and cuts a trickler off within a second or so.
         */
        public static final int DEFAULT_MIN_REQUEST_DATA_RATE = 4 * 1024;

        public Api {
            keys = keys == null ? List.of() : List.copyOf(keys);
        }

        /** Host, port and body limit; everything added since gets its default. */
        public Api(String host, int port, int maxBodyBytes) {
            this(host, port, maxBodyBytes, Duration.ofHours(24), Duration.ofMillis(2), false, List.of());
        }

        /** Without the request limits added for the security review: their defaults. */
        public Api(String host, int port, int maxBodyBytes, Duration idempotencyWindow, Duration batchWait,
                   boolean open, List<String> keys) {
            this(host, port, maxBodyBytes, idempotencyWindow, batchWait, open, keys, DEFAULT_MAX_RECEIVERS_PER_REQUEST,
                    DEFAULT_IDLE_TIMEOUT, DEFAULT_MIN_REQUEST_DATA_RATE);
        }

        public Api withKeys(boolean newOpen, List<String> newKeys) {
            return new Api(host, port, maxBodyBytes, idempotencyWindow, batchWait, newOpen, newKeys,
                    maxReceiversPerRequest, idleTimeout, minRequestDataRate);
        }

        public Api withBatchWait(Duration wait) {
            return new Api(host, port, maxBodyBytes, idempotencyWindow, wait, open, keys, maxReceiversPerRequest,
                    idleTimeout, minRequestDataRate);
        }

        public Api withRequestLimits(int newMaxReceivers, Duration newIdleTimeout, int newMinDataRate) {
            return new Api(host, port, maxBodyBytes, idempotencyWindow, batchWait, open, keys, newMaxReceivers,
                    newIdleTimeout, newMinDataRate);
        }
    }

    /**
     * @param sendTimeout           longest a provider call may take; must be shorter than sqs.visibilityTimeout
     * @param receiveWait           long-polling wait of each ReceiveMessage when a queue looks empty (0–20 s)
     * @param maxReadersPerQueue    most concurrent ReceiveMessage calls per queue in one iteration
     * @param maxInFlight           most messages received and not yet settled, across all queues (backpressure)
     * @param maxInFlightPerWorker  most concurrent sends through one provider
     * @param unhealthyThreshold    consecutive failed sends that make a provider unhealthy
     * @param healthyThreshold      consecutive successful probes that make it healthy again
     * @param openWait              how long an unhealthy provider rests before it gets a probe
     * @param retryBaseDelay        delay before the first retry of a message; doubles with each attempt
     * @param retryMaxDelay         longest delay between retries
     * @param shutdownDeadline      how long a stopping pipeline lets sends in flight finish
     * @param adminHost             interface of the admin server (/metrics, /status)
     * @param adminPort             port of the admin server; 0 picks a free one, -1 turns it off
     * @param statusFlushInterval   longest a delivery status waits in the pipeline's buffer before it is written
     *                              with the others (a full batch of 100 goes at once); a delivered message is
     *                              deleted from SQS once its status is written
     * @param sendingStatusAfter    a send still running after this long is recorded as "sending"; shorter sends
     *                              go straight to their outcome (0 records every send)
     * @param receiveLinger         longest pause before the next receive when the last one brought some messages
     *                              but not a full 10, so the next carries several (0 turns it off)
     * @param settleLinger          longest a delete or visibility change waits for 9 others to share its batch
     * @param depthInterval         least time between two depth queries (GetQueueAttributes) of a queue
     */
    public record PipelineSettings(Duration sendTimeout, Duration receiveWait, int maxReadersPerQueue, int maxInFlight,
                           int maxInFlightPerWorker, int unhealthyThreshold, int healthyThreshold, Duration openWait,
                           Duration retryBaseDelay, Duration retryMaxDelay, Duration shutdownDeadline,
                           String adminHost, int adminPort, Duration statusFlushInterval,
                           Duration sendingStatusAfter, Duration receiveLinger, Duration settleLinger,
                           Duration depthInterval) {

        static final Duration DEFAULT_STATUS_FLUSH_INTERVAL = Duration.ofMillis(200);
        static final Duration DEFAULT_SENDING_STATUS_AFTER = Duration.ofSeconds(1);

        public PipelineSettings withStatusTiming(Duration flushInterval, Duration sendingAfter) {
            return new PipelineSettings(sendTimeout, receiveWait, maxReadersPerQueue, maxInFlight, maxInFlightPerWorker,
                    unhealthyThreshold, healthyThreshold, openWait, retryBaseDelay, retryMaxDelay, shutdownDeadline,
                    adminHost, adminPort, flushInterval, sendingAfter, receiveLinger, settleLinger, depthInterval);
        }

        public PipelineSettings withSendTimeout(Duration timeout) {
            return new PipelineSettings(timeout, receiveWait, maxReadersPerQueue, maxInFlight, maxInFlightPerWorker,
                    unhealthyThreshold, healthyThreshold, openWait, retryBaseDelay, retryMaxDelay, shutdownDeadline,
                    adminHost, adminPort, statusFlushInterval, sendingStatusAfter,
                    receiveLinger, settleLinger, depthInterval);
        }

        public PipelineSettings withReceiveWait(Duration wait) {
            return new PipelineSettings(sendTimeout, wait, maxReadersPerQueue, maxInFlight, maxInFlightPerWorker,
                    unhealthyThreshold, healthyThreshold, openWait, retryBaseDelay, retryMaxDelay, shutdownDeadline,
                    adminHost, adminPort, statusFlushInterval, sendingStatusAfter,
                    receiveLinger, settleLinger, depthInterval);
        }

        public PipelineSettings withHealth(int unhealthy, int healthy, Duration open) {
            return new PipelineSettings(sendTimeout, receiveWait, maxReadersPerQueue, maxInFlight, maxInFlightPerWorker,
                    unhealthy, healthy, open, retryBaseDelay, retryMaxDelay, shutdownDeadline, adminHost, adminPort,
                    statusFlushInterval, sendingStatusAfter,
                    receiveLinger, settleLinger, depthInterval);
        }

        public PipelineSettings withRetryDelays(Duration base, Duration max) {
            return new PipelineSettings(sendTimeout, receiveWait, maxReadersPerQueue, maxInFlight, maxInFlightPerWorker,
                    unhealthyThreshold, healthyThreshold, openWait, base, max, shutdownDeadline, adminHost, adminPort,
                    statusFlushInterval, sendingStatusAfter,
                    receiveLinger, settleLinger, depthInterval);
        }

        public PipelineSettings withAdminPort(int port) {
            return new PipelineSettings(sendTimeout, receiveWait, maxReadersPerQueue, maxInFlight, maxInFlightPerWorker,
                    unhealthyThreshold, healthyThreshold, openWait, retryBaseDelay, retryMaxDelay, shutdownDeadline,
                    adminHost, port, statusFlushInterval, sendingStatusAfter,
                    receiveLinger, settleLinger, depthInterval);
        }

        /** The request-saving waits: {@link #receiveLinger}, {@link #settleLinger} and {@link #depthInterval}. */
        public PipelineSettings withPacing(Duration receive, Duration settle, Duration depth) {
            return new PipelineSettings(sendTimeout, receiveWait, maxReadersPerQueue, maxInFlight, maxInFlightPerWorker,
                    unhealthyThreshold, healthyThreshold, openWait, retryBaseDelay, retryMaxDelay, shutdownDeadline,
                    adminHost, adminPort, statusFlushInterval, sendingStatusAfter, receive, settle, depth);
        }

        public PipelineSettings withLimits(int readersPerQueue, int inFlight, int inFlightPerWorker) {
            return new PipelineSettings(sendTimeout, receiveWait, readersPerQueue, inFlight, inFlightPerWorker,
                    unhealthyThreshold, healthyThreshold, openWait, retryBaseDelay, retryMaxDelay, shutdownDeadline,
                    adminHost, adminPort, statusFlushInterval, sendingStatusAfter,
                    receiveLinger, settleLinger, depthInterval);
        }
    }

    /**
     * One block per provider, keyed by the provider's name, in the {@link ProviderRegistry}'s order.
     * Every block has {@code enabled} and {@code weight}: the enabled providers of a channel form that
     * channel's pool, and healthy ones share its messages by weight. A provider brings its own block
     * (its {@link ProviderDescriptor#configType()}); nothing here names one.
     */
    @JsonDeserialize(using = ProviderBlocksDeserializer.class)
    public record ProviderBlocks(@JsonValue Map<String, ProviderSettings> blocks) {

        public ProviderBlocks {
            blocks = Collections.unmodifiableMap(new LinkedHashMap<>(blocks));
        }

        /** Every installed provider with its defaults: only the outbox enabled. */
        public static ProviderBlocks defaults() {
            Map<String, ProviderSettings> blocks = new LinkedHashMap<>();
            ProviderRegistry.installed().all().forEach(d -> blocks.put(d.name(), d.defaults()));
            return new ProviderBlocks(blocks);
        }

        /** The block of the provider named {@code name}. */
        public ProviderSettings get(String name) {
            ProviderSettings block = blocks.get(name);
            if (block == null) {
                throw new IllegalArgumentException("no provider '" + name + "' (known: " + blocks.keySet() + ")");
            }
            return block;
        }

        /** The block of type {@code type} (each provider has its own record type). */
        public <C extends ProviderSettings> C of(Class<C> type) {
            return blocks.values().stream().filter(type::isInstance).map(type::cast).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no provider block of type " + type.getName()));
        }

        /** These providers with {@code block} replacing the block of its type. */
        public ProviderBlocks with(ProviderSettings block) {
            Map<String, ProviderSettings> next = new LinkedHashMap<>(blocks);
            String name = blocks.entrySet().stream().filter(e -> e.getValue().getClass() == block.getClass())
                    .map(Map.Entry::getKey).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no provider block of type " + block.getClass()));
            next.put(name, block);
            return new ProviderBlocks(next);
        }

        public Outbox outbox() {
            return of(Outbox.class);
        }

        /**
         * The channels at least one provider is enabled for in this configuration: what a user's
         * preferences may name (a receiver on another channel could never be reached).
         */
        public java.util.Set<String> channelsWithProvider() {
            Map<String, String> channelOf = ProviderRegistry.installed().channelOf();
            java.util.Set<String> channels = new java.util.TreeSet<>();
            blocks.forEach((provider, block) -> {
                if (block.enabled() && channelOf.containsKey(provider)) {
                    channels.add(channelOf.get(provider));
                }
            });
            return java.util.Collections.unmodifiableSet(channels);
        }

        public ProviderBlocks withOutbox(Outbox newOutbox) {
            return with(newOutbox);
        }
    }

    /**
     * @param enabled  whether the pipeline delivers email through it
     * @param weight   its share of the email channel among healthy providers (1–1000)
     * @param dir      directory it writes one .eml file per email into
     */
    public record Outbox(boolean enabled, int weight, String dir) implements ProviderSettings {

        public static Outbox defaults() {
            return new Outbox(true, 1, "outbox");
        }
    }

    /** @param defaultScheme scheme for receivers written without one (e.g. a bare Slurm user name) */
    public record Receivers(String defaultScheme) {
    }

    /**
     * Where delivery status and the API's idempotency records are kept: one DynamoDB table.
     *
     * @param endpoint  DynamoDB endpoint URL; empty means AWS's regional endpoint
     * @param region    AWS region of the table
     * @param table     table name (3–255 letters, digits, '_', '-', '.')
     * @param ttl       how long a message's status is kept after its last change
     */
    public record Status(String endpoint, String region, String table, Duration ttl) {

        public Status withEndpoint(String newEndpoint) {
            return new Status(newEndpoint, region, table, ttl);
        }
    }

    /**
     * Pause switches and shared provider health, kept in the status table ({@code status.table}).
     *
     * @param refreshInterval    how long a pipeline instance acts on what it last read of pauses and
     *                           health before reading them again (at most once per iteration)
     * @param heartbeatInterval  how often each pipeline instance republishes its providers' health and
     *                           counters, besides publishing every change at once
     * @param staleAfter         a health report not renewed for this long no longer counts: its
     *                           instance stopped or lost the store
     * @param parkDelay          a paused channel's message that was received anyway (its queue also
     *                           carries other channels) goes back to its queue, hidden for this long
     */
    public record Control(Duration refreshInterval, Duration heartbeatInterval, Duration staleAfter,
                          Duration parkDelay) {

        public static Control defaults() {
            return new Control(Duration.ofSeconds(2), Duration.ofSeconds(10), Duration.ofSeconds(30),
                    Duration.ofSeconds(60));
        }
    }

    /**
     * How every Herald process logs (to standard error).
     *
     * @param format     {@code text} (one line per event, ISO-8601 date first) or {@code json} (one
     *                   JSON object per line, for log shippers)
     * @param level      per-logger levels as {@code logger=LEVEL} entries, e.g.
     *                   {@code io.herald.pipeline=DEBUG}; {@code root=WARN} sets the default (INFO)
     * @param accessLog  the API logs one line per request: method, path, status, duration and the
     *                   API key's name (never the key or the body)
     */
    public record Logging(String format, List<String> level, boolean accessLog) {

        /** The levels a {@code logging.level} entry may set. */
        public static final List<String> LEVELS = List.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "OFF");

        public Logging {
            level = level == null ? List.of() : List.copyOf(level);
        }

        public static Logging defaults() {
            return new Logging("text", List.of(), false);
        }

        /** Whether JSON lines were asked for. */
        public boolean json() {
            return "json".equals(format);
        }

        /** The {@code level} entries as logger name → level, in the order given ("root" for the root logger). */
        public Map<String, String> levels() {
            Map<String, String> out = new LinkedHashMap<>();
            for (String entry : level) {
                int eq = entry.indexOf('=');
                if (eq > 0) {
                    out.put(entry.substring(0, eq).strip(), entry.substring(eq + 1).strip().toUpperCase(Locale.ROOT));
                }
            }
            return out;
        }
    }

    /**
     * @param sqsPort       port of the embedded SQS server that {@code ./herald local} starts
     * @param dynamodbPort  port of the embedded DynamoDB that {@code ./herald local} starts
     * @param stateFile     where a running {@code ./herald local} says what it runs (its PID, endpoints,
     *                      queues, API URL) for {@code --local} to find; empty: {@link #defaultStateFile()}
     */
    public record Local(int sqsPort, int dynamodbPort, String stateFile) {

        public Local {
            stateFile = stateFile == null ? "" : stateFile;
        }

        public Local(int sqsPort, int dynamodbPort) {
            this(sqsPort, dynamodbPort, "");
        }

        /** The SQS port alone; the DynamoDB port gets its default. */
        public Local(int sqsPort) {
            this(sqsPort, 8000);
        }

        /** The state file: as configured, else herald-local-USER.json in the temporary directory (/tmp). */
        public Path stateFilePath() {
            return stateFile.isBlank() ? defaultStateFile() : Path.of(stateFile);
        }

        /** One per user: two people trying Herald on one machine each reach their own stack. */
        public static Path defaultStateFile() {
            return Path.of(System.getProperty("java.io.tmpdir"),
                    "herald-local-" + System.getProperty("user.name") + ".json");
        }
    }

    /**
     * @param dataDir where {@code herald serve} keeps its queues, messages and status table between runs
     */
    public record Serve(String dataDir) {

        public static Serve defaults() {
            return new Serve("/var/lib/herald");
        }
    }

    public static HeraldConfig defaults() {
        return new HeraldConfig(
                new Sqs("", "us-east-1", List.of("herald-1", "herald-2"), "-dlq", 5, Duration.ofSeconds(60), 50),
                new Api("127.0.0.1", 8080, 256 * 1024, Duration.ofHours(24), Duration.ofMillis(2), false, List.of()),
                new PipelineSettings(Duration.ofSeconds(10), Duration.ofSeconds(20), 10, 1000, 100, 5, 2,
                        Duration.ofSeconds(10), Duration.ofSeconds(2), Duration.ofMinutes(5), Duration.ofSeconds(15),
                        "127.0.0.1", 9091, PipelineSettings.DEFAULT_STATUS_FLUSH_INTERVAL,
                        PipelineSettings.DEFAULT_SENDING_STATUS_AFTER, Duration.ofMillis(200), Duration.ofMillis(100),
                        Duration.ofSeconds(1)),
                ProviderBlocks.defaults(),
                new Receivers("mailto"),
                new Status("", "us-east-1", "herald-status", Duration.ofDays(7)),
                new Local(9324, 8000, ""),
                MailprogConfig.defaults(),
                TelegramBotConfig.defaults(),
                Control.defaults(),
                Logging.defaults(),
                Serve.defaults());
    }

    public HeraldConfig withMailprog(MailprogConfig newMailprog) {
        return new HeraldConfig(sqs, api, pipeline, providers, receivers, status, local, newMailprog, telegramBot,
                control, logging, serve);
    }

    public HeraldConfig withReceivers(Receivers newReceivers) {
        return new HeraldConfig(sqs, api, pipeline, providers, newReceivers, status, local, mailprog, telegramBot,
                control, logging, serve);
    }

    public HeraldConfig withTelegramBot(TelegramBotConfig newTelegramBot) {
        return new HeraldConfig(sqs, api, pipeline, providers, receivers, status, local, mailprog, newTelegramBot,
                control, logging, serve);
    }

    public HeraldConfig withSqs(Sqs newSqs) {
        return new HeraldConfig(newSqs, api, pipeline, providers, receivers, status, local, mailprog, telegramBot,
                control, logging, serve);
    }

    public HeraldConfig withApi(Api newApi) {
        return new HeraldConfig(sqs, newApi, pipeline, providers, receivers, status, local, mailprog, telegramBot,
                control, logging, serve);
    }

    public HeraldConfig withProviders(ProviderBlocks newProviders) {
        return new HeraldConfig(sqs, api, pipeline, newProviders, receivers, status, local, mailprog, telegramBot,
                control, logging, serve);
    }

    public HeraldConfig withStatus(Status newStatus) {
        return new HeraldConfig(sqs, api, pipeline, providers, receivers, newStatus, local, mailprog, telegramBot,
                control, logging, serve);
    }

    public HeraldConfig withControl(Control newControl) {
        return new HeraldConfig(sqs, api, pipeline, providers, receivers, status, local, mailprog, telegramBot,
                newControl, logging, serve);
    }

    public HeraldConfig withLogging(Logging newLogging) {
        return new HeraldConfig(sqs, api, pipeline, providers, receivers, status, local, mailprog, telegramBot,
                control, newLogging, serve);
    }

    public HeraldConfig withServe(Serve newServe) {
        return new HeraldConfig(sqs, api, pipeline, providers, receivers, status, local, mailprog, telegramBot,
                control, logging, newServe);
    }

    public HeraldConfig withLocal(Local newLocal) {
        return new HeraldConfig(sqs, api, pipeline, providers, receivers, status, newLocal, mailprog, telegramBot,
                control, logging, serve);
    }
}
