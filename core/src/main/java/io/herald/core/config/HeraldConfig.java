package io.herald.core.config;

import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.herald.core.envelope.EnvelopeCodec;
import io.herald.core.feedback.FeedbackWebhook;
import io.herald.core.provider.ProviderDescriptor;
import io.herald.core.provider.ProviderRegistry;
import io.herald.core.provider.ProviderSettings;
import jakarta.validation.Valid;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.hibernate.validator.constraints.Range;

/**
 * Everything Herald can be configured with, read from {@code herald.yaml} and overridden by {@code HERALD_*}
 * environment variables (see {@link ConfigLoader}). {@link #defaults()} is what {@code ./herald local} runs on;
 * {@code herald.example.yaml} documents every key. A key's range is declared on its component ({@code @Range},
 * {@link DurationRange}, {@link Port}; sections marked {@code @Valid} are checked inside) and reported by
 * {@link ConfigConstraints}.
 */
public record HeraldConfig(
        @Valid Sqs sqs,
        @Valid Api api,
        @Valid PipelineSettings pipeline,
        // Not cascaded: ConfigConstraints checks each block itself, so problems read providers.<name>.<key>.
        ProviderBlocks providers,
        Receivers receivers,
        @Valid Status status,
        @Valid Local local,
        @Valid MailprogConfig mailprog,
        @Valid TelegramBotConfig telegramBot,
        @Valid Control control,
        Logging logging,
        Serve serve,
        @Valid SuppressionSettings suppression,
        @Valid Feedback feedback,
        @Valid Unsubscribe unsubscribe,
        @Valid Callbacks callbacks,
        @Valid Pacing pacing) {

    /**
     * @param endpoint SQS endpoint URL; empty means AWS's regional endpoint
     * @param region AWS region
     * @param queues queue names; producers spread messages over them, the pipeline reads all
     * @param deadLetterSuffix a queue's dead-letter queue is named queue + suffix
     * @param maxReceiveCount receives before SQS moves a message to the dead-letter queue
     * @param visibilityTimeout how long a received message stays hidden from other readers
     * @param maxConnections HTTP connections the SQS client may open
     */
    public record Sqs(
            String endpoint,
            String region,
            List<String> queues,
            String deadLetterSuffix,

            @Range(min = 1, max = 1000, message = "must be between {min} and {max} (SQS's limits)")
            int maxReceiveCount,

            @DurationRange(min = "1s", max = "12h") Duration visibilityTimeout,
            @Range(min = 1, max = 10_000) int maxConnections) {

        public static Sqs defaults() {
            return new Sqs("", "us-east-1", List.of("herald-1", "herald-2"), "-dlq", 5, Duration.ofSeconds(60), 50);
        }

        public Sqs withEndpoint(String newEndpoint) {
            return new Sqs(
                    newEndpoint, region, queues, deadLetterSuffix, maxReceiveCount, visibilityTimeout, maxConnections);
        }
    }

    /**
     * @param host interface to listen on
     * @param port TCP port (0 picks a free one)
     * @param maxBodyBytes largest request body accepted
     * @param idempotencyWindow how long a request's Idempotency-Key is remembered
     * @param batchWait longest a request waits for others to share its `queued` status write (the SQS batches that
     *     follow it never wait)
     * @param open serve without API keys when {@code keys} is empty ({@code ./herald local} always may)
     * @param keys API keys, one {@code name=... sha256=... senders=...|... rate=N/s|m|h} per entry (see
     *     {@link ApiKeyEntry}); the token itself is never configured, only its hash
     * @param maxReceiversPerRequest items of a request's {@code to} read at most (more: one 422), and the receivers per
     *     request of a key without {@code maxReceivers=}
     * @param idleTimeout a connection that sends nothing for this long (mid-headers, mid-body) is closed
     * @param minRequestDataRate bytes per second a request body must arrive at, on average; slower: 408
     * @param selfService the magic links that let Slurm users edit their own preferences at {@code /#/me}
     */
    public record Api(
            String host,
            @Port int port,

            @Range(
                    min = 1024,
                    max = EnvelopeCodec.SQS_MAX_MESSAGE_BYTES,
                    message = "must be between {min} and {max} (SQS's message limit)")
            int maxBodyBytes,

            @DurationRange(min = "1m", max = "720h") Duration idempotencyWindow,
            // Each request waits this long at most for company: beyond a few ms it costs more latency
            // than it saves.
            @DurationRange(min = "0s", max = "100ms") Duration batchWait,
            boolean open,
            List<String> keys,

            @Range(min = 1, max = ApiKeyEntry.MAX_RECEIVERS_LIMIT)
            int maxReceiversPerRequest,
            // Shorter cuts off clients that pause to think; longer lets idle connections pin memory
            // and sockets.
            @DurationRange(min = "1s", max = "10m") Duration idleTimeout,
            // 0 would let one byte a second hold a request (and its buffer) for as long as
            // idleTimeout allows, forever.
            @Range(min = 1, max = 100 * 1024 * 1024) int minRequestDataRate,
            @Valid SelfService selfService) {

        public Api {
            keys = keys == null ? List.of() : List.copyOf(keys);
            selfService = selfService == null ? SelfService.defaults() : selfService;
        }

        public static Api defaults() {
            // minRequestDataRate 4 KiB/s: a 256 KiB body within 64 s. Jetty measures from the body's first byte,
            // so a small body split over packets with a long pause between them can fall below a high rate;
            // 4 KiB/s leaves legitimate clients far above it and cuts a trickler off within a second or so.
            return new Api(
                    "127.0.0.1",
                    8080,
                    256 * 1024,
                    Duration.ofHours(24),
                    Duration.ofMillis(2),
                    false,
                    List.of(),
                    50,
                    Duration.ofSeconds(30),
                    4 * 1024,
                    SelfService.defaults());
        }

        public Api withKeys(boolean newOpen, List<String> newKeys) {
            return new Api(
                    host,
                    port,
                    maxBodyBytes,
                    idempotencyWindow,
                    batchWait,
                    newOpen,
                    newKeys,
                    maxReceiversPerRequest,
                    idleTimeout,
                    minRequestDataRate,
                    selfService);
        }

        public Api withSelfService(SelfService newSelfService) {
            return new Api(
                    host,
                    port,
                    maxBodyBytes,
                    idempotencyWindow,
                    batchWait,
                    open,
                    keys,
                    maxReceiversPerRequest,
                    idleTimeout,
                    minRequestDataRate,
                    newSelfService);
        }

        /**
         * Magic links to {@code /#/me}: {@code POST /v1/me/link} mails a user a signed, single-use link, the page
         * trades it for a session that reads and writes only that user's preferences.
         *
         * @param publicUrl where users reach the page, e.g. {@code https://herald.example.org}; empty: off
         * @param linkSecret the HMAC key that signs links and sessions (at least 32 characters)
         * @param linksPerHour links one user may be sent per hour; more are quietly not sent
         * @param linksPerMinute links all users together may be sent per minute, so that asking for many names cannot
         *     send each of them {@code linksPerHour}; more are quietly not sent
         * @param linkValidity how long a link may be used (once)
         * @param sessionValidity how long the page may use the session a link gave it
         */
        public record SelfService(
                String publicUrl,
                Secret linkSecret,
                @Range(min = 1, max = 100) int linksPerHour,
                @Range(min = 1, max = 10_000) int linksPerMinute,
                @DurationRange(min = "1m", max = "1h") Duration linkValidity,
                @DurationRange(min = "5m", max = "12h") Duration sessionValidity) {

            public SelfService {
                publicUrl = publicUrl == null ? "" : publicUrl.strip();
                linkSecret = linkSecret == null ? Secret.none() : linkSecret;
            }

            public static SelfService defaults() {
                return new SelfService("", Secret.none(), 5, 30, Duration.ofMinutes(15), Duration.ofHours(1));
            }

            public boolean enabled() {
                return !publicUrl.isEmpty();
            }
        }
    }

    /**
     * @param sendTimeout longest a provider call may take; must be shorter than sqs.visibilityTimeout
     * @param receiveWait long-polling wait of each ReceiveMessage when a queue looks empty (0–20 s)
     * @param maxReadersPerQueue most concurrent ReceiveMessage calls per queue in one iteration
     * @param maxInFlight most messages received and not yet settled, across all queues (backpressure)
     * @param maxInFlightPerWorker most concurrent sends through one provider
     * @param unhealthyThreshold consecutive failed sends that make a provider unhealthy
     * @param healthyThreshold consecutive successful probes that make it healthy again
     * @param openWait how long an unhealthy provider rests before it gets a probe
     * @param retryBaseDelay delay before the first retry of a message; doubles with each attempt
     * @param retryMaxDelay longest delay between retries
     * @param shutdownDeadline how long a stopping pipeline lets sends in flight finish
     * @param adminHost interface of the admin server (/metrics, /status)
     * @param adminPort port of the admin server; 0 picks a free one, -1 turns it off
     * @param statusFlushInterval longest a delivery status waits in the pipeline's buffer before it is written with the
     *     others (a full batch of 100 goes at once); a delivered message is deleted from SQS once its status is written
     * @param sendingStatusAfter a send still running after this long is recorded as "sending"; shorter sends go
     *     straight to their outcome (0 records every send)
     * @param receiveLinger longest pause before the next receive when the last one brought some messages but not a full
     *     10, so the next carries several (0 turns it off)
     * @param settleLinger longest a delete or visibility change waits for 9 others to share its batch
     * @param depthInterval least time between two depth queries (GetQueueAttributes) of a queue
     */
    public record PipelineSettings(
            @DurationRange(min = "1ms", max = "12h") Duration sendTimeout,
            @DurationRange(min = "0s", max = "20s") Duration receiveWait,
            @Range(min = 1, max = 1000) int maxReadersPerQueue,
            @Range(min = 10, max = 100_000) int maxInFlight,
            @Range(min = 1, max = 10_000) int maxInFlightPerWorker,
            @Range(min = 1, max = 1000) int unhealthyThreshold,
            @Range(min = 1, max = 1000) int healthyThreshold,
            @DurationRange(min = "1ms", max = "1h") Duration openWait,
            @DurationRange(min = "0s", max = "12h") Duration retryBaseDelay,
            @DurationRange(min = "0s", max = "12h") Duration retryMaxDelay,
            @DurationRange(min = "0s", max = "1h") Duration shutdownDeadline,
            String adminHost,
            int adminPort,
            // Delivered messages wait in SQS for their status write: seconds would hold them
            // (and maxInFlight) idle.
            @DurationRange(min = "1ms", max = "5s") Duration statusFlushInterval,
            @DurationRange(min = "0s", max = "12h") Duration sendingStatusAfter,
            // Both lingers delay work to save requests: a second or more would be felt as
            // latency, not saved.
            @DurationRange(min = "0s", max = "1s") Duration receiveLinger,
            @DurationRange(min = "0s", max = "1s") Duration settleLinger,
            @DurationRange(min = "0s", max = "5m") Duration depthInterval) {

        public static PipelineSettings defaults() {
            return new PipelineSettings(
                    Duration.ofSeconds(10),
                    Duration.ofSeconds(20),
                    10,
                    1000,
                    100,
                    5,
                    2,
                    Duration.ofSeconds(10),
                    Duration.ofSeconds(2),
                    Duration.ofMinutes(5),
                    Duration.ofSeconds(15),
                    "127.0.0.1",
                    9091,
                    Duration.ofMillis(200),
                    Duration.ofSeconds(1),
                    Duration.ofMillis(200),
                    Duration.ofMillis(100),
                    Duration.ofSeconds(1));
        }

        /** A builder starting from these settings, for changing a few keys without naming all 18. */
        public Builder toBuilder() {
            return new Builder(this);
        }

        public PipelineSettings withStatusTiming(Duration flushInterval, Duration sendingAfter) {
            return toBuilder()
                    .statusFlushInterval(flushInterval)
                    .sendingStatusAfter(sendingAfter)
                    .build();
        }

        public PipelineSettings withSendTimeout(Duration timeout) {
            return toBuilder().sendTimeout(timeout).build();
        }

        public PipelineSettings withReceiveWait(Duration wait) {
            return toBuilder().receiveWait(wait).build();
        }

        public PipelineSettings withHealth(int unhealthy, int healthy, Duration open) {
            return toBuilder()
                    .unhealthyThreshold(unhealthy)
                    .healthyThreshold(healthy)
                    .openWait(open)
                    .build();
        }

        public PipelineSettings withRetryDelays(Duration base, Duration max) {
            return toBuilder().retryBaseDelay(base).retryMaxDelay(max).build();
        }

        public PipelineSettings withAdminPort(int port) {
            return toBuilder().adminPort(port).build();
        }

        public PipelineSettings withLimits(int readersPerQueue, int inFlight, int inFlightPerWorker) {
            return toBuilder()
                    .maxReadersPerQueue(readersPerQueue)
                    .maxInFlight(inFlight)
                    .maxInFlightPerWorker(inFlightPerWorker)
                    .build();
        }

        /** Every key of the section by name; unset ones keep the value of the settings it started from. */
        public static final class Builder {
            private Duration sendTimeout;
            private Duration receiveWait;
            private int maxReadersPerQueue;
            private int maxInFlight;
            private int maxInFlightPerWorker;
            private int unhealthyThreshold;
            private int healthyThreshold;
            private Duration openWait;
            private Duration retryBaseDelay;
            private Duration retryMaxDelay;
            private Duration shutdownDeadline;
            private String adminHost;
            private int adminPort;
            private Duration statusFlushInterval;
            private Duration sendingStatusAfter;
            private Duration receiveLinger;
            private Duration settleLinger;
            private Duration depthInterval;

            private Builder(PipelineSettings from) {
                sendTimeout = from.sendTimeout;
                receiveWait = from.receiveWait;
                maxReadersPerQueue = from.maxReadersPerQueue;
                maxInFlight = from.maxInFlight;
                maxInFlightPerWorker = from.maxInFlightPerWorker;
                unhealthyThreshold = from.unhealthyThreshold;
                healthyThreshold = from.healthyThreshold;
                openWait = from.openWait;
                retryBaseDelay = from.retryBaseDelay;
                retryMaxDelay = from.retryMaxDelay;
                shutdownDeadline = from.shutdownDeadline;
                adminHost = from.adminHost;
                adminPort = from.adminPort;
                statusFlushInterval = from.statusFlushInterval;
                sendingStatusAfter = from.sendingStatusAfter;
                receiveLinger = from.receiveLinger;
                settleLinger = from.settleLinger;
                depthInterval = from.depthInterval;
            }

            public Builder sendTimeout(Duration value) {
                sendTimeout = value;
                return this;
            }

            public Builder receiveWait(Duration value) {
                receiveWait = value;
                return this;
            }

            public Builder maxReadersPerQueue(int value) {
                maxReadersPerQueue = value;
                return this;
            }

            public Builder maxInFlight(int value) {
                maxInFlight = value;
                return this;
            }

            public Builder maxInFlightPerWorker(int value) {
                maxInFlightPerWorker = value;
                return this;
            }

            public Builder unhealthyThreshold(int value) {
                unhealthyThreshold = value;
                return this;
            }

            public Builder healthyThreshold(int value) {
                healthyThreshold = value;
                return this;
            }

            public Builder openWait(Duration value) {
                openWait = value;
                return this;
            }

            public Builder retryBaseDelay(Duration value) {
                retryBaseDelay = value;
                return this;
            }

            public Builder retryMaxDelay(Duration value) {
                retryMaxDelay = value;
                return this;
            }

            public Builder shutdownDeadline(Duration value) {
                shutdownDeadline = value;
                return this;
            }

            public Builder adminHost(String value) {
                adminHost = value;
                return this;
            }

            public Builder adminPort(int value) {
                adminPort = value;
                return this;
            }

            public Builder statusFlushInterval(Duration value) {
                statusFlushInterval = value;
                return this;
            }

            public Builder sendingStatusAfter(Duration value) {
                sendingStatusAfter = value;
                return this;
            }

            public Builder receiveLinger(Duration value) {
                receiveLinger = value;
                return this;
            }

            public Builder settleLinger(Duration value) {
                settleLinger = value;
                return this;
            }

            public Builder depthInterval(Duration value) {
                depthInterval = value;
                return this;
            }

            public PipelineSettings build() {
                return new PipelineSettings(
                        sendTimeout,
                        receiveWait,
                        maxReadersPerQueue,
                        maxInFlight,
                        maxInFlightPerWorker,
                        unhealthyThreshold,
                        healthyThreshold,
                        openWait,
                        retryBaseDelay,
                        retryMaxDelay,
                        shutdownDeadline,
                        adminHost,
                        adminPort,
                        statusFlushInterval,
                        sendingStatusAfter,
                        receiveLinger,
                        settleLinger,
                        depthInterval);
            }
        }
    }

    /**
     * One block per provider, keyed by the provider's name, in the {@link ProviderRegistry}'s order. Every block has
     * {@code enabled} and {@code weight}: the enabled providers of a channel form that channel's pool, and healthy ones
     * share its messages by weight. A provider brings its own block (its {@link ProviderDescriptor#configType()});
     * nothing here names one.
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
            return blocks.values().stream()
                    .filter(type::isInstance)
                    .map(type::cast)
                    .findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no provider block of type " + type.getName()));
        }

        /** These providers with {@code block} replacing the block of its type. */
        public ProviderBlocks with(ProviderSettings block) {
            Map<String, ProviderSettings> next = new LinkedHashMap<>(blocks);
            String name = blocks.entrySet().stream()
                    .filter(e -> e.getValue().getClass() == block.getClass())
                    .map(Map.Entry::getKey)
                    .findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no provider block of type " + block.getClass()));
            next.put(name, block);
            return new ProviderBlocks(next);
        }

        /**
         * Provider name → the feedback webhook it offers (switched on or not by its block), for every provider that has
         * one: what {@code POST /v1/feedback/{provider}} serves.
         */
        public Map<String, FeedbackWebhook> feedbackWebhooks() {
            Map<String, FeedbackWebhook> webhooks = new LinkedHashMap<>();
            ProviderRegistry.installed().all().forEach(d -> {
                ProviderSettings block = blocks.get(d.name());
                if (block != null) {
                    d.feedbackWebhookOf(block).ifPresent(webhook -> webhooks.put(d.name(), webhook));
                }
            });
            return Collections.unmodifiableMap(webhooks);
        }

        /**
         * The channels at least one provider is enabled for in this configuration: what a user's preferences may name
         * (a receiver on another channel could never be reached).
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
    }

    /** @param defaultScheme scheme for receivers written without one (e.g. a bare Slurm user name) */
    public record Receivers(String defaultScheme) {

        public static Receivers defaults() {
            return new Receivers("mailto");
        }
    }

    /**
     * Where delivery status and the API's idempotency records are kept: one DynamoDB table.
     *
     * @param endpoint DynamoDB endpoint URL; empty means AWS's regional endpoint
     * @param region AWS region of the table
     * @param table table name (3–255 letters, digits, '_', '-', '.')
     * @param ttl how long a message's status is kept after its last change
     */
    public record Status(
            String endpoint,
            String region,
            String table,
            // DynamoDB's TTL sweeper works in days; below an hour a status would vanish while a
            // client still polls.
            @DurationRange(min = "1h", max = "8760h") Duration ttl) {

        public static Status defaults() {
            return new Status("", "us-east-1", "herald-status", Duration.ofDays(7));
        }

        public Status withEndpoint(String newEndpoint) {
            return new Status(newEndpoint, region, table, ttl);
        }
    }

    /**
     * Pause switches and shared provider health, kept in the status table ({@code status.table}).
     *
     * @param refreshInterval how long a pipeline instance acts on what it last read of pauses and health before reading
     *     them again (at most once per iteration)
     * @param heartbeatInterval how often each pipeline instance republishes its providers' health and counters, besides
     *     publishing every change at once
     * @param staleAfter a health report not renewed for this long no longer counts: its instance stopped or lost the
     *     store
     * @param parkDelay a paused channel's message that was received anyway (its queue also carries other channels) goes
     *     back to its queue, hidden for this long
     */
    public record Control(
            @DurationRange(min = "100ms", max = "1m") Duration refreshInterval,
            @DurationRange(min = "1s", max = "5m") Duration heartbeatInterval,
            @DurationRange(min = "2s", max = "1h") Duration staleAfter,
            // SQS's DelaySeconds goes up to 15 minutes.
            @DurationRange(min = "1s", max = "15m") Duration parkDelay) {

        public static Control defaults() {
            return new Control(
                    Duration.ofSeconds(2), Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(60));
        }
    }

    /**
     * How every Herald process logs (to standard error).
     *
     * @param format {@code text} (one line per event, ISO-8601 date first) or {@code json} (one JSON object per line,
     *     for log shippers)
     * @param level per-logger levels as {@code logger=LEVEL} entries, e.g. {@code io.herald.pipeline=DEBUG};
     *     {@code root=WARN} sets the default (INFO)
     * @param accessLog the API logs one line per request: method, path, status, duration and the API key's name (never
     *     the key or the body)
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
                    out.put(
                            entry.substring(0, eq).strip(),
                            entry.substring(eq + 1).strip().toUpperCase(Locale.ROOT));
                }
            }
            return out;
        }
    }

    /**
     * @param sqsPort port of the embedded SQS server that {@code ./herald local} starts
     * @param dynamodbPort port of the embedded DynamoDB that {@code ./herald local} starts
     * @param stateFile where a running {@code ./herald local} says what it runs (its PID, endpoints, queues, API URL)
     *     for {@code --local} to find; empty: {@link #defaultStateFile()}
     */
    public record Local(@Port int sqsPort, @Port int dynamodbPort, String stateFile) {

        public Local {
            stateFile = stateFile == null ? "" : stateFile;
        }

        public static Local defaults() {
            return new Local(9324, 8000, "");
        }

        /** The state file: as configured, else herald-local-USER.json in the temporary directory (/tmp). */
        public Path stateFilePath() {
            return stateFile.isBlank() ? defaultStateFile() : Path.of(stateFile);
        }

        /** One per user: two people trying Herald on one machine each reach their own stack. */
        public static Path defaultStateFile() {
            return Path.of(
                    System.getProperty("java.io.tmpdir"), "herald-local-" + System.getProperty("user.name") + ".json");
        }
    }

    /** @param dataDir where {@code herald serve} keeps its queues, messages and status table between runs */
    public record Serve(String dataDir) {

        public static Serve defaults() {
            return new Serve("/var/lib/herald");
        }
    }

    /**
     * When feedback from the providers puts an address on the suppression list (hard bounces and complaints always do).
     *
     * @param softBounces how many soft bounces within what window suppress an address
     */
    public record SuppressionSettings(@Valid SoftBounceLimit softBounces) {

        public static SuppressionSettings defaults() {
            return new SuppressionSettings(SoftBounceLimit.defaults());
        }

        /**
         * @param count soft bounces (a full mailbox, a greylisting server) of one address that suppress it, this many
         *     within {@code window}
         * @param window how far back soft bounces count
         */
        public record SoftBounceLimit(
                @Range(min = 1, max = 1000) int count,
                @DurationRange(min = "1h", max = "8760h") Duration window) {

            public static SoftBounceLimit defaults() {
                return new SoftBounceLimit(3, Duration.ofDays(7));
            }
        }
    }

    /**
     * What providers report back about sent email (issue 18). Each provider's intake is configured in its own block
     * (e.g. {@code providers.sendgrid.eventWebhook}); what they share is here.
     *
     * @param dedupWindow how long the event id of a webhook call's event is remembered, so a retried batch records it
     *     once; longer than any provider retries (SendGrid: 24 h)
     */
    public record Feedback(
            @DurationRange(min = "1h", max = "720h") Duration dedupWindow) {

        public static Feedback defaults() {
            return new Feedback(Duration.ofHours(48));
        }
    }

    /**
     * RFC 8058 one-click unsubscribe: every email that is not {@code category: transactional} carries a signed link to
     * {@code <publicUrl>/u/<token>} that stops that category of mail to that address.
     *
     * @param publicUrl where receivers reach the API, e.g. {@code https://herald.example.org}; empty: the self-service
     *     page's address ({@code api.selfService.publicUrl}); both empty: no unsubscribe links
     * @param secret the HMAC key that signs the links (at least 32 characters); the pipeline that writes them and the
     *     API that reads them need the same one. Changing it breaks every link already sent
     */
    public record Unsubscribe(String publicUrl, Secret secret) {

        public Unsubscribe {
            publicUrl = publicUrl == null ? "" : publicUrl.strip();
            secret = secret == null ? Secret.none() : secret;
        }

        public static Unsubscribe defaults() {
            return new Unsubscribe("", Secret.none());
        }
    }

    /**
     * Where unsubscribe links point: {@code unsubscribe.publicUrl}, else {@code api.selfService.publicUrl}, without a
     * trailing slash; empty: no links.
     */
    public String unsubscribeBaseUrl() {
        String own = unsubscribe == null ? "" : unsubscribe.publicUrl();
        return (own.isEmpty() ? api.selfService().publicUrl() : own).replaceAll("/+$", "");
    }

    public HeraldConfig withUnsubscribe(Unsubscribe newUnsubscribe) {
        return toBuilder().unsubscribe(newUnsubscribe).build();
    }

    /**
     * Signed status callbacks (Standard Webhooks): a request's {@code callbackUrl}, or its API key's default, gets each
     * status change of its messages as a POST. Off until {@code secret} is set.
     *
     * @param secret the signing key, {@code whsec_} and base64 of at least 24 random bytes
     * @param queue the SQS queue callbacks wait on (with its dead-letter queue, {@code sqs.deadLetterSuffix})
     * @param allowPrivateTargets allow loopback, private and link-local targets (tests only: it lets API keys reach
     *     Herald's own network)
     * @param retrySchedule the waits after each failed attempt; when they are used up the callback is given up
     * @param timeout one attempt's limit, connecting included
     * @param keyDefaults {@code NAME=URL} entries: the callback URL of requests of API key NAME that name none
     */
    public record Callbacks(
            Secret secret,
            String queue,
            boolean allowPrivateTargets,
            List<Duration> retrySchedule,
            @DurationRange(min = "1s", max = "1m") Duration timeout,
            List<String> keyDefaults) {

        /** SQS's longest visibility timeout, the longest wait a retry can have. */
        public static final Duration MAX_RETRY_WAIT = Duration.ofHours(12);

        public Callbacks {
            secret = secret == null ? Secret.none() : secret;
            retrySchedule = retrySchedule == null ? List.of() : List.copyOf(retrySchedule);
            keyDefaults = keyDefaults == null ? List.of() : List.copyOf(keyDefaults);
        }

        public static Callbacks defaults() {
            return new Callbacks(
                    Secret.none(),
                    "herald-callbacks",
                    false,
                    List.of(
                            Duration.ofSeconds(5),
                            Duration.ofMinutes(5),
                            Duration.ofMinutes(30),
                            Duration.ofHours(2),
                            Duration.ofHours(5),
                            Duration.ofHours(10)),
                    Duration.ofSeconds(15),
                    List.of());
        }

        /** {@code keyDefaults} by key name; an entry without '=' is left out (the config check reports it). */
        public Map<String, String> defaultUrls() {
            Map<String, String> urls = new LinkedHashMap<>();
            for (String entry : keyDefaults) {
                int eq = entry == null ? -1 : entry.indexOf('=');
                if (eq > 0) {
                    urls.putIfAbsent(
                            entry.substring(0, eq).strip(),
                            entry.substring(eq + 1).strip());
                }
            }
            return urls;
        }

        /**
         * Receives of one callback before SQS moves it to the dead-letter queue: one per scheduled attempt plus a few
         * spare for deliverers that crashed holding it. Shared by local provisioning and the CDK stack.
         */
        public int queueMaxReceiveCount() {
            return retrySchedule.size() + 1 + 3;
        }

        /** The callbacks queue's visibility timeout: a post's whole timeout plus room to record its outcome. */
        public Duration queueVisibilityTimeout() {
            return timeout.plusSeconds(30);
        }

        /** Whether callbacks are on: a secret to sign them with is set. */
        public boolean enabled() {
            return secret.isSet();
        }
    }

    /**
     * Per-domain pacing of email (issue 18): a deferral (SMTP 421 or 4.7.x at send time, or a deferral reported as
     * feedback) halves the sending rate to that recipient domain only; each {@code recovery} without one doubles it
     * back. A rate is {@code N/s}, {@code N/m} or {@code N/h} with N from 1 to 999999.
     *
     * @param defaultRate the rate of a domain not in {@code domains}: {@code none} (no limit until it defers) or a rate
     * @param domains {@code DOMAIN=RATE} entries, e.g. {@code gmail.com=10/s}
     * @param afterDeferral the rate an unlimited domain falls to at its first deferral (further ones halve it)
     * @param recovery how long without a deferral before a slowed domain's rate doubles again
     */
    public record Pacing(
            @jakarta.validation.constraints.Pattern(
                    regexp = RATE + "|none",
                    message = "must be none or a rate like 10/s")
            String defaultRate,

            List<
                            @jakarta.validation.constraints.Pattern(
                                    regexp = "[A-Za-z0-9.-]+=" + RATE,
                                    message = "must be DOMAIN=RATE, e.g. gmail.com=10/s")
                            String>
                    domains,

            @jakarta.validation.constraints.Pattern(regexp = RATE, message = "must be a rate like 1/s")
            String afterDeferral,

            @DurationRange(min = "1s", max = "1h") Duration recovery) {

        /** N per second, minute or hour. */
        public static final String RATE = "[1-9][0-9]{0,5}/[smh]";

        public Pacing {
            defaultRate = defaultRate == null ? "none" : defaultRate.strip();
            domains = domains == null ? List.of() : List.copyOf(domains);
        }

        public static Pacing defaults() {
            return new Pacing("none", List.of(), "1/s", Duration.ofMinutes(1));
        }

        /** Sends per second of a rate written {@code N/s}, {@code N/m} or {@code N/h}. */
        public static double perSecond(String rate) {
            int slash = rate.indexOf('/');
            double n = Double.parseDouble(rate.substring(0, slash).strip());
            return switch (rate.substring(slash + 1).strip()) {
                case "m" -> n / 60;
                case "h" -> n / 3600;
                default -> n;
            };
        }

        /** {@code domains} as sends per second by lower-case domain; malformed entries are left to validation. */
        public Map<String, Double> domainRates() {
            Map<String, Double> rates = new LinkedHashMap<>();
            for (String entry : domains) {
                int eq = entry == null ? -1 : entry.indexOf('=');
                if (eq > 0 && entry.strip().matches("[A-Za-z0-9.-]+=" + RATE)) {
                    rates.putIfAbsent(
                            entry.substring(0, eq).strip().toLowerCase(Locale.ROOT),
                            perSecond(entry.substring(eq + 1)));
                }
            }
            return rates;
        }
    }

    public HeraldConfig withPacing(Pacing newPacing) {
        return toBuilder().pacing(newPacing).build();
    }

    public HeraldConfig withCallbacks(Callbacks newCallbacks) {
        return toBuilder().callbacks(newCallbacks).build();
    }

    /** A copy to change: name the sections that differ, keep the rest; each {@code with…} method is one such change. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Builds a configuration from another one, section by section (see {@link #toBuilder()}). */
    public static final class Builder {
        private Sqs sqs;
        private Api api;
        private PipelineSettings pipeline;
        private ProviderBlocks providers;
        private Receivers receivers;
        private Status status;
        private Local local;
        private MailprogConfig mailprog;
        private TelegramBotConfig telegramBot;
        private Control control;
        private Logging logging;
        private Serve serve;
        private SuppressionSettings suppression;
        private Feedback feedback;
        private Unsubscribe unsubscribe;
        private Callbacks callbacks;
        private Pacing pacing;

        private Builder(HeraldConfig c) {
            sqs = c.sqs;
            api = c.api;
            pipeline = c.pipeline;
            providers = c.providers;
            receivers = c.receivers;
            status = c.status;
            local = c.local;
            mailprog = c.mailprog;
            telegramBot = c.telegramBot;
            control = c.control;
            logging = c.logging;
            serve = c.serve;
            suppression = c.suppression;
            feedback = c.feedback;
            unsubscribe = c.unsubscribe;
            callbacks = c.callbacks;
            pacing = c.pacing;
        }

        public Builder sqs(Sqs value) {
            sqs = value;
            return this;
        }

        public Builder api(Api value) {
            api = value;
            return this;
        }

        public Builder pipeline(PipelineSettings value) {
            pipeline = value;
            return this;
        }

        public Builder providers(ProviderBlocks value) {
            providers = value;
            return this;
        }

        public Builder receivers(Receivers value) {
            receivers = value;
            return this;
        }

        public Builder status(Status value) {
            status = value;
            return this;
        }

        public Builder local(Local value) {
            local = value;
            return this;
        }

        public Builder mailprog(MailprogConfig value) {
            mailprog = value;
            return this;
        }

        public Builder telegramBot(TelegramBotConfig value) {
            telegramBot = value;
            return this;
        }

        public Builder control(Control value) {
            control = value;
            return this;
        }

        public Builder logging(Logging value) {
            logging = value;
            return this;
        }

        public Builder serve(Serve value) {
            serve = value;
            return this;
        }

        public Builder suppression(SuppressionSettings value) {
            suppression = value;
            return this;
        }

        public Builder feedback(Feedback value) {
            feedback = value;
            return this;
        }

        public Builder unsubscribe(Unsubscribe value) {
            unsubscribe = value;
            return this;
        }

        public Builder callbacks(Callbacks value) {
            callbacks = value;
            return this;
        }

        public Builder pacing(Pacing value) {
            pacing = value;
            return this;
        }

        public HeraldConfig build() {
            return new HeraldConfig(
                    sqs,
                    api,
                    pipeline,
                    providers,
                    receivers,
                    status,
                    local,
                    mailprog,
                    telegramBot,
                    control,
                    logging,
                    serve,
                    suppression,
                    feedback,
                    unsubscribe,
                    callbacks,
                    pacing);
        }
    }

    /** Every section's own {@code defaults()}, the one place a default is written (herald.example.yaml is checked). */
    public static HeraldConfig defaults() {
        return new HeraldConfig(
                Sqs.defaults(),
                Api.defaults(),
                PipelineSettings.defaults(),
                ProviderBlocks.defaults(),
                Receivers.defaults(),
                Status.defaults(),
                Local.defaults(),
                MailprogConfig.defaults(),
                TelegramBotConfig.defaults(),
                Control.defaults(),
                Logging.defaults(),
                Serve.defaults(),
                SuppressionSettings.defaults(),
                Feedback.defaults(),
                Unsubscribe.defaults(),
                Callbacks.defaults(),
                Pacing.defaults());
    }

    public HeraldConfig withMailprog(MailprogConfig newMailprog) {
        return toBuilder().mailprog(newMailprog).build();
    }

    public HeraldConfig withReceivers(Receivers newReceivers) {
        return toBuilder().receivers(newReceivers).build();
    }

    public HeraldConfig withTelegramBot(TelegramBotConfig newTelegramBot) {
        return toBuilder().telegramBot(newTelegramBot).build();
    }

    public HeraldConfig withSqs(Sqs newSqs) {
        return toBuilder().sqs(newSqs).build();
    }

    public HeraldConfig withApi(Api newApi) {
        return toBuilder().api(newApi).build();
    }

    public HeraldConfig withProviders(ProviderBlocks newProviders) {
        return toBuilder().providers(newProviders).build();
    }

    public HeraldConfig withStatus(Status newStatus) {
        return toBuilder().status(newStatus).build();
    }

    public HeraldConfig withControl(Control newControl) {
        return toBuilder().control(newControl).build();
    }

    public HeraldConfig withServe(Serve newServe) {
        return toBuilder().serve(newServe).build();
    }

    public HeraldConfig withFeedback(Feedback newFeedback) {
        return toBuilder().feedback(newFeedback).build();
    }
}
