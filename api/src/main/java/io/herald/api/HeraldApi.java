package io.herald.api;

import io.herald.core.config.HeraldConfig;
import io.herald.core.control.ControlStore;
import io.herald.core.envelope.Sender;
import io.herald.core.feedback.FeedbackEventIds;
import io.herald.core.feedback.FeedbackSink;
import io.herald.core.feedback.FeedbackWebhook;
import io.herald.core.feedback.Suppressions;
import io.herald.core.health.ReadinessCheck;
import io.herald.core.idempotency.IdempotencyStore;
import io.herald.core.metrics.ProcessMeters;
import io.herald.core.preferences.ChatLinks;
import io.herald.core.preferences.LinkNonces;
import io.herald.core.preferences.PreferencesStore;
import io.herald.core.provider.ProviderRegistry;
import io.herald.core.receiver.ReceiverParser;
import io.herald.core.sqs.DeadLetterQueue;
import io.herald.core.sqs.QueueRef;
import io.herald.core.sqs.SqsProducer;
import io.herald.core.status.StatusStore;
import io.herald.core.unsubscribe.UnsubscribeTokens;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import io.javalin.http.staticfiles.Location;
import io.javalin.router.Endpoint;
import io.javalin.security.Roles;
import io.javalin.security.RouteRole;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.eclipse.jetty.http.BadMessageException;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.component.LifeCycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Herald's HTTP API: gomail's {@code POST /email/send} and {@code POST /v1/notifications} in front of the SQS queues,
 * {@code GET /v1/notifications/{id}} for delivery status, pause switches for admin keys under {@code /v1/admin/pauses},
 * the suppression list for admin keys under {@code /v1/admin/suppressions}, Slurm users' preferences for admin keys
 * under {@code /v1/users/{user}/preferences} and for users themselves through magic links under {@code /v1/me}, the
 * health, readiness and OpenAPI endpoints, the metrics (admin keys only), and the web page at {@code /}. Every answer
 * but the page and the metrics is JSON.
 */
public final class HeraldApi implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HeraldApi.class);

    /** Where the build puts the web client (web-client/dist) inside the jar. */
    static final String WEB_ROOT = "/web";
    /** The page needs only its own files; nothing it shows may come from elsewhere or run inline. */
    static final Map<String, String> PAGE_HEADERS = Map.of(
            "Content-Security-Policy",
                    "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'",
            "X-Content-Type-Options", "nosniff",
            "Referrer-Policy", "no-referrer",
            "Cache-Control", "no-cache");

    private static final String START_NANOS = "herald.start";
    /**
     * Measured on loopback against ElasticMQ (see api/BENCHMARK.md): fewer calls out at once make bigger batches but
     * queue requests behind them; this many kept both throughput and p99 best.
     */
    static final int DEFAULT_SQS_CALLS_IN_FLIGHT = 4;
    /** Refused receivers the overview remembers, per API instance. */
    static final int RECENT_REJECTIONS = 50;
    /** Dashboards poll every 2 s; however many are open, SQS and the status table are asked at most this often. */
    static final Duration OVERVIEW_FRESH = Duration.ofSeconds(1);
    /** Reading dead letters hides them briefly from other readers, so it is done less often. */
    static final Duration OVERVIEW_DEAD_LETTERS_EVERY = Duration.ofSeconds(5);

    private final String host;
    private final Javalin app;
    private final PrometheusMeterRegistry registry;
    private final boolean ownsRegistry;
    private final ProcessMeters processMeters;

    private HeraldApi(Builder b) {
        HeraldConfig.Api config = b.config;
        // maxBodyBytes + 1 bytes are read to detect an oversize body, so the limit must leave room.
        if (config.maxBodyBytes() <= 0 || config.maxBodyBytes() == Integer.MAX_VALUE) {
            throw new IllegalArgumentException("api.maxBodyBytes must be positive and below " + Integer.MAX_VALUE
                    + ", got " + config.maxBodyBytes());
        }
        this.host = config.host();
        this.ownsRegistry = b.registry == null;
        this.registry = b.registry != null ? b.registry : new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        // A registry of its own is the whole of this process's /metrics; a given one is its giver's to fill.
        this.processMeters = ownsRegistry ? ProcessMeters.bindTo(registry) : null;
        ApiJson json = new ApiJson();
        ApiMetrics metrics = new ApiMetrics(registry);
        AccessLog accessLog = b.accessLog ? new AccessLog(b.access) : null;
        RequestEnqueuer dispatcher = new RequestEnqueuer(
                b.producer, b.queues, config.batchWait(), b.maxSqsCallsInFlight, b.statusStore, metrics);
        Intake intake = new Intake(
                config.maxBodyBytes(), b.access, b.idempotency, config.idempotencyWindow(), dispatcher, json, metrics);
        SendEmailHandler sendEmail = new SendEmailHandler(dispatcher, b.clock, json, intake);
        RecentRejections rejections = new RecentRejections(RECENT_REJECTIONS, b.clock);
        NotificationsHandler notifications = new NotificationsHandler(
                b.receivers,
                dispatcher,
                b.clock,
                json,
                intake,
                rejections,
                config.maxReceiversPerRequest(),
                b.callbacks);
        OverviewHandler overview = b.sqs == null
                ? null
                : new OverviewHandler(
                        new OperationsOverview(
                                b.sqs,
                                b.queues,
                                b.controlStore,
                                rejections,
                                b.clock,
                                OVERVIEW_FRESH,
                                OVERVIEW_DEAD_LETTERS_EVERY,
                                b.feedbackCounts),
                        intake,
                        json);
        // The same reading and moving as `herald dlq`; redriven messages start over as queued in the status table.
        DeadLettersHandler deadLetters = b.sqs == null
                ? null
                : new DeadLettersHandler(new DeadLetterQueue(b.sqs, b.queues, b.statusStore), intake, json);
        LocalDemoHandler demo = b.localDemo == null ? null : new LocalDemoHandler(b.localDemo, intake, json);
        StatusHandler status = new StatusHandler(b.statusStore, intake, json);
        PausesHandler pauses = new PausesHandler(b.controlStore, intake, json);
        SuppressionsHandler suppressions = new SuppressionsHandler(b.suppressions, intake, json, b.clock);
        PreferencesHandler preferences =
                new PreferencesHandler(b.preferences, b.channels, b.controlStore, intake, json, b.clock);
        SelfServiceHandler self = new SelfServiceHandler(
                config.selfService(), b.selfService, preferences, b.preferences, dispatcher, intake, json, b.clock);
        Readiness readiness = new Readiness(b.readiness, json);
        FeedbackWebhookHandler feedbackWebhooks = new FeedbackWebhookHandler(
                b.feedbackWebhooks,
                b.feedbackSink == null ? null : b.feedbackSink.apply(registry),
                b.feedbackEventIds,
                json,
                metrics,
                b.clock);
        UnsubscribeHandler unsubscribe =
                new UnsubscribeHandler(b.unsubscribeTokens, b.unsubscribeSuppressions, b.clock);
        ChannelsHandler channels = new ChannelsHandler(json, b.receivers, ProviderRegistry.installed());
        String openApi = resource("/openapi.json");
        boolean webClientBuilt = HeraldApi.class.getResource(WEB_ROOT + "/index.html") != null;
        String docsPage = HeraldApi.class.getResource(WEB_ROOT + "/docs/index.html") == null
                ? null
                : resource(WEB_ROOT + "/docs/index.html");

        this.app = Javalin.create(javalin -> {
            javalin.startup.showJavalinBanner = false;
            javalin.startup.showOldJavalinVersionWarning = false;
            // Each request blocks on SQS and DynamoDB calls; virtual threads make that cheap without callbacks.
            javalin.concurrency.useVirtualThreads = true;
            javalin.jetty.host = config.host();
            javalin.jetty.port = config.port();
            javalin.http.prefer405over404 = true;
            // Jetty's own refusals (malformed framing, illegal bytes in headers) get the API's error shape too.
            javalin.jetty.modifyServer(server -> {
                server.setErrorHandler(new JsonErrorHandler(json));
                // Javalin adds its connector just before starting the server: bound every connection's silences then.
                server.addEventListener(new LifeCycle.Listener() {
                    @Override
                    public void lifeCycleStarting(LifeCycle event) {
                        for (Connector connector : server.getConnectors()) {
                            if (connector instanceof AbstractConnector bounded) {
                                bounded.setIdleTimeout(config.idleTimeout().toMillis());
                            }
                        }
                    }
                });
            });
            // A body must keep coming: a client that trickles a byte now and then is cut off (408) instead of
            // holding a request, a thread and a buffer for as long as it likes. Headers are bounded by Jetty's
            // request header size (8 KiB) and the idle timeout.
            javalin.jetty.modifyHttpConfiguration(http -> {
                http.setMinRequestDataRate(config.minRequestDataRate());
                http.setIdleTimeout(config.idleTimeout().toMillis());
            });

            if (webClientBuilt) {
                javalin.staticFiles.add(files -> {
                    files.hostedPath = "/";
                    files.directory = WEB_ROOT;
                    files.location = Location.CLASSPATH;
                    files.headers = PAGE_HEADERS;
                });
            } else {
                javalin.routes.get(
                        "/",
                        ctx -> ctx.status(HttpStatus.OK)
                                .contentType("text/html; charset=utf-8")
                                .result("<!doctype html><title>Herald</title><p>The web client was "
                                        + "not built into this API "
                                        + "(build with npm available, see web-client/README). "
                                        + "The API itself works: see "
                                        + "<a href=\"/openapi.json\">/openapi.json</a>.</p>"),
                        ApiRole.PUBLIC);
            }

            javalin.routes.before(ctx -> ctx.attribute(START_NANOS, System.nanoTime()));
            // Who may call what is declared on each route below and enforced here, in one place.
            javalin.routes.beforeMatched(new RouteGuard(intake, json, self, this::declaredRoles));
            javalin.routes.after(ctx -> {
                Long start = ctx.attribute(START_NANOS);
                if (start != null) {
                    Duration took = Duration.ofNanos(System.nanoTime() - start);
                    metrics.request(ctx.method().name(), route(ctx), ctx.statusCode(), took);
                    if (accessLog != null) {
                        accessLog.request(ctx, took);
                    }
                }
                // Last, so the request's latency is its handling, not how long the client took to send what was
                // refused.
                intake.discardUnreadBody(ctx);
            });

            javalin.routes.post("/email/send", intake.handler("/email/send", sendEmail), ApiRole.SENDER);
            javalin.routes.post(
                    "/v1/notifications", intake.handler("/v1/notifications", notifications), ApiRole.SENDER);
            javalin.routes.get("/v1/notifications/{id}", status, ApiRole.READER);
            javalin.routes.get("/v1/channels", channels, ApiRole.PUBLIC);
            javalin.routes.get("/v1/admin/pauses", pauses::list, ApiRole.ADMIN);
            javalin.routes.post("/v1/admin/pauses", pauses::pause, ApiRole.ADMIN);
            javalin.routes.delete("/v1/admin/pauses/{scope}/{name}", pauses::resume, ApiRole.ADMIN);
            javalin.routes.get("/v1/admin/suppressions", suppressions::list, ApiRole.ADMIN);
            javalin.routes.post("/v1/admin/suppressions", suppressions::add, ApiRole.ADMIN);
            javalin.routes.delete("/v1/admin/suppressions/{address}", suppressions::remove, ApiRole.ADMIN);
            javalin.routes.get("/v1/users/{user}/preferences", preferences::show, ApiRole.ADMIN);
            javalin.routes.put("/v1/users/{user}/preferences", preferences::save, ApiRole.ADMIN);
            // Providers cannot send an API key: each provider's webhook checks its own signature instead.
            javalin.routes.post("/v1/feedback/{provider}", feedbackWebhooks, ApiRole.PUBLIC);
            javalin.routes.post("/v1/me/link", self::link, ApiRole.PUBLIC);
            javalin.routes.post("/v1/me/session", self::session, ApiRole.PUBLIC);
            javalin.routes.get("/v1/me/preferences", self::show, ApiRole.SELF);
            javalin.routes.put("/v1/me/preferences", self::save, ApiRole.SELF);
            // No key, no cookie, no session: the signed token in the path is the whole proof (RFC 8058).
            javalin.routes.get("/u/{token}", unsubscribe::page, ApiRole.PUBLIC);
            javalin.routes.post("/u/{token}", unsubscribe::unsubscribe, ApiRole.PUBLIC);
            javalin.routes.get(
                    "/healthz",
                    ctx -> json.reply(ctx, HttpStatus.OK.getCode(), new ApiJson.Health("ok")),
                    ApiRole.PUBLIC);
            javalin.routes.get("/readyz", readiness, ApiRole.PUBLIC);
            // Metrics tell how much each tenant sends and when it is throttled: admin keys only (Prometheus sends
            // one as a bearer token); in open mode everyone is admin, as for every operator endpoint.
            javalin.routes.get(
                    "/metrics",
                    ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                            .result(registry.scrape()),
                    ApiRole.ADMIN);
            javalin.routes.get(
                    "/openapi.json", ctx -> ctx.contentType("application/json").result(openApi), ApiRole.PUBLIC);
            // The document for people: Swagger UI, built into the web client (its files are under /docs/).
            javalin.routes.get(
                    "/docs",
                    ctx -> {
                        PAGE_HEADERS.forEach(ctx::header);
                        ctx.contentType("text/html; charset=utf-8")
                                .result(
                                        docsPage != null
                                                ? docsPage
                                                : "<!doctype html><title>Herald API</title><p>The API reference page "
                                                        + "was not built into this API (build with npm available, see "
                                                        + "web-client/README). The document itself is at "
                                                        + "<a href=\"/openapi.json\">/openapi.json</a>.</p>");
                    },
                    ApiRole.PUBLIC);
            if (overview != null) {
                javalin.routes.get("/v1/admin/overview", overview, ApiRole.ADMIN);
                javalin.routes.get("/v1/admin/overview/history", overview::history, ApiRole.ADMIN);
                javalin.routes.get("/v1/admin/dead-letters", deadLetters::list, ApiRole.ADMIN);
                javalin.routes.get("/v1/admin/dead-letters/{id}", deadLetters::show, ApiRole.ADMIN);
                javalin.routes.post("/v1/admin/dead-letters/redrive", deadLetters::redrive, ApiRole.ADMIN);
            }
            if (demo != null) {
                javalin.routes.get("/v1/local/demo", demo::state, ApiRole.ADMIN);
                javalin.routes.post("/v1/local/demo/providers/{provider}/break", demo::breakProvider, ApiRole.ADMIN);
                javalin.routes.post("/v1/local/demo/providers/{provider}/heal", demo::healProvider, ApiRole.ADMIN);
                javalin.routes.put("/v1/local/demo/traffic", demo::traffic, ApiRole.ADMIN);
            }

            // Only Javalin's own bare 404 (no route, no file); a handler's 404 already says what was not found.
            javalin.routes.error(HttpStatus.NOT_FOUND.getCode(), ctx -> {
                if (ctx.attribute(ApiJson.ANSWERED) == null) {
                    json.reply(ctx, HttpStatus.NOT_FOUND.getCode(), ApiJson.ErrorReply.base("Not found"));
                }
            });
            // Javalin's own refusals (no route, wrong method) keep their status; only the shape changes.
            // Its messages name Javalin's internals ("Endpoint GET /x not found"); ours say the same plainly.
            // The exception handler answers a 405 once; no error handler for 405 may write a second body.
            javalin.routes.exception(RouteGuard.Refusal.class, (e, ctx) -> json.send(ctx, e.reply()));
            javalin.routes.exception(
                    HttpResponseException.class,
                    (e, ctx) -> json.send(ctx, refusal(json, e.getStatus(), e.getMessage(), e.getDetails())));
            // Jetty's refusals while a handler reads the body, e.g. 408 for a body below api.minRequestDataRate:
            // the client's doing, answered with Jetty's reason (it names the rule, never the content).
            javalin.routes.exception(BadMessageException.class, (e, ctx) -> {
                ctx.header("Connection", "close");
                json.reply(
                        ctx,
                        e.getCode(),
                        ApiJson.ErrorReply.base(
                                e.getCode() == HttpStatus.REQUEST_TIMEOUT.getCode()
                                        ? "Request body arrived too slowly (" + e.getReason() + "); send it at once"
                                        : e.getReason()));
            });
            javalin.routes.exception(Exception.class, (e, ctx) -> {
                // The details go to the log only: an exception message can hold an endpoint or a key.
                log.error("unexpected error answering {} {}", ctx.method(), ctx.path(), e);
                json.reply(ctx, HttpStatus.INTERNAL_SERVER_ERROR.getCode(), ApiJson.ErrorReply.base("Internal error"));
            });
        });
    }

    /**
     * @param config where to listen, body limit, idempotency window, batching
     * @param producer puts envelopes on SQS
     * @param queues the queues messages are spread over, batch by batch; at least one
     */
    public static Builder builder(HeraldConfig.Api config, SqsProducer producer, List<QueueRef> queues) {
        return new Builder(config, producer, queues);
    }

    /** The collaborators of an API; status and idempotency stores are required, the rest have defaults. */
    public static final class Builder {
        private final HeraldConfig.Api config;
        private final SqsProducer producer;
        private final List<QueueRef> queues;
        private StatusStore statusStore;
        private IdempotencyStore idempotency;
        private ControlStore controlStore;
        private Suppressions suppressions;
        private PreferencesStore preferences;
        private Set<String> channels = Set.of();
        private SelfServiceHandler.Parts selfService;
        private ApiAccess access = ApiAccess.open();
        private boolean accessLog;
        private ReceiverParser receivers = ReceiverParser.standard("mailto");
        private Clock clock = Clock.systemUTC();
        private PrometheusMeterRegistry registry;
        private int maxSqsCallsInFlight = DEFAULT_SQS_CALLS_IN_FLIGHT;
        private final List<ReadinessCheck> readiness = new ArrayList<>();
        private SqsClient sqs;
        private io.herald.core.feedback.FeedbackDailyCounts feedbackCounts;
        private LocalDemo localDemo;
        private Map<String, FeedbackWebhook> feedbackWebhooks =
                HeraldConfig.ProviderBlocks.defaults().feedbackWebhooks();
        private Function<MeterRegistry, FeedbackSink> feedbackSink;
        private FeedbackEventIds feedbackEventIds;
        private UnsubscribeTokens unsubscribeTokens;
        private Suppressions unsubscribeSuppressions;
        private NotificationsHandler.CallbackPolicy callbacks = NotificationsHandler.CallbackPolicy.off();

        private Builder(HeraldConfig.Api config, SqsProducer producer, List<QueueRef> queues) {
            this.config = Objects.requireNonNull(config, "config");
            this.producer = Objects.requireNonNull(producer, "producer");
            if (queues == null || queues.isEmpty()) {
                throw new IllegalArgumentException("the API needs at least one queue to put messages on");
            }
            this.queues = List.copyOf(queues);
        }

        /**
         * Turns status callbacks on: a request's {@code callbackUrl} (or its key's default) is checked by
         * {@code targets} and carried by its messages. Without it a request naming one gets 400. The status store must
         * be the one that queues the callbacks ({@link io.herald.core.callback.CallbackStatusStore}).
         *
         * @param keyDefaults API key name → callback URL (callbacks.keyDefaults)
         */
        public Builder callbacks(io.herald.core.callback.CallbackTargets targets, Map<String, String> keyDefaults) {
            this.callbacks = new NotificationsHandler.CallbackPolicy(
                    Objects.requireNonNull(targets, "targets"), Map.copyOf(keyDefaults));
            return this;
        }

        public Builder statusStore(StatusStore store) {
            this.statusStore = store;
            return this;
        }

        public Builder idempotencyStore(IdempotencyStore store) {
            this.idempotency = store;
            return this;
        }

        /** Pauses for /v1/admin/pauses; without one those endpoints answer 503. */
        public Builder controlStore(ControlStore store) {
            this.controlStore = store;
            return this;
        }

        /** The suppression list for /v1/admin/suppressions; without one those endpoints answer 503. */
        public Builder suppressions(Suppressions list) {
            this.suppressions = list;
            return this;
        }

        /**
         * Users' preferences for /v1/users/{user}/preferences; without them those endpoints answer 503.
         *
         * @param channels the channels with a provider enabled in this configuration; with a {@link #controlStore}
         *     those the running pipelines report count too
         */
        public Builder preferences(PreferencesStore store, Set<String> channels) {
            this.preferences = store;
            this.channels = Set.copyOf(channels);
            return this;
        }

        /**
         * What magic links need besides {@code api.selfService}: where single use is recorded, and where the user's
         * default receiver is: {@code user@mailDomain} (from {@code sender} when set) or a chat in {@code links}
         * ({@link MagicLinkDestination}). Without it, or with api.selfService.publicUrl empty, the {@code /v1/me}
         * endpoints answer 503.
         *
         * @param mailDomain blank: links go to linked chats only
         */
        public Builder selfService(LinkNonces nonces, ChatLinks links, String mailDomain, Optional<Sender> sender) {
            this.selfService = new SelfServiceHandler.Parts(
                    Objects.requireNonNull(nonces, "nonces"),
                    Objects.requireNonNull(links, "links"),
                    mailDomain == null ? "" : mailDomain,
                    sender);
            return this;
        }

        /** Default: open, as local mode runs without keys. */
        public Builder access(ApiAccess newAccess) {
            this.access = Objects.requireNonNull(newAccess, "access");
            return this;
        }

        /** Default: the standard schemes, bare receivers as email. */
        public Builder receivers(ReceiverParser parser) {
            this.receivers = Objects.requireNonNull(parser, "receivers");
            return this;
        }

        /** Stamps each envelope's createdAt. */
        public Builder clock(Clock newClock) {
            this.clock = Objects.requireNonNull(newClock, "clock");
            return this;
        }

        /** Default: a registry of the API's own, scraped at /metrics. */
        public Builder meterRegistry(PrometheusMeterRegistry newRegistry) {
            this.registry = newRegistry;
            return this;
        }

        /** SendMessageBatch calls out at once; while all are out, new messages gather into bigger batches. */
        public Builder maxSqsCallsInFlight(int calls) {
            this.maxSqsCallsInFlight = calls;
            return this;
        }

        /** A dependency /readyz asks about. */
        public Builder readiness(ReadinessCheck check) {
            this.readiness.add(Objects.requireNonNull(check, "check"));
            return this;
        }

        /**
         * Serves {@code GET /v1/admin/overview}: queue depths and dead letters read with {@code client}, pauses and
         * provider health from the {@link #controlStore}, which it then needs. Without it the API has no overview.
         */
        public Builder overview(SqsClient client) {
            this.sqs = Objects.requireNonNull(client, "sqs");
            return this;
        }

        /** The overview shows bounce and complaint rates per sender domain from these counts (both processes write). */
        public Builder feedbackRates(io.herald.core.feedback.FeedbackDailyCounts counts) {
            this.feedbackCounts = counts;
            return this;
        }

        /** Serves the chaos demo's controls under {@code /v1/local/}: for {@code ./herald local --demo} only. */
        /** Default off: one log line per request (logging.accessLog), see {@link AccessLog}. */
        public Builder accessLog(boolean enabled) {
            this.accessLog = enabled;
            return this;
        }

        /**
         * Serves the providers' feedback webhooks at {@code POST /v1/feedback/{provider}}: each call verified by the
         * provider's webhook, each event handed to the sink once ({@code eventIds} remembers them). Without it, or with
         * a webhook its provider's block leaves off, that endpoint answers 503.
         *
         * @param webhooks provider name → its webhook, e.g. {@code config.providers().feedbackWebhooks()}
         * @param sink builds the sink on the API's meter registry, so its counters are scraped at /metrics
         */
        public Builder feedbackWebhooks(
                Map<String, FeedbackWebhook> webhooks,
                Function<MeterRegistry, FeedbackSink> sink,
                FeedbackEventIds eventIds) {
            this.feedbackWebhooks = Map.copyOf(webhooks);
            this.feedbackSink = Objects.requireNonNull(sink, "sink");
            this.feedbackEventIds = Objects.requireNonNull(eventIds, "eventIds");
            return this;
        }

        /**
         * RFC 8058 one-click unsubscribe at {@code /u/{token}} ({@link UnsubscribeHandler}): links signed by
         * {@code tokens} (the pipeline's, with the same unsubscribe.secret) add their address and category to
         * {@code suppressions}. Without it {@code /u/} answers 404.
         */
        public Builder unsubscribe(UnsubscribeTokens tokens, Suppressions suppressions) {
            this.unsubscribeTokens = Objects.requireNonNull(tokens, "tokens");
            this.unsubscribeSuppressions = Objects.requireNonNull(suppressions, "suppressions");
            return this;
        }

        public Builder localDemo(LocalDemo demo) {
            this.localDemo = Objects.requireNonNull(demo, "demo");
            return this;
        }

        public HeraldApi build() {
            Objects.requireNonNull(statusStore, "statusStore");
            Objects.requireNonNull(idempotency, "idempotencyStore");
            if (sqs != null) {
                Objects.requireNonNull(controlStore, "controlStore (the overview reads pauses and health from it)");
            }
            return new HeraldApi(this);
        }
    }

    /** Binds the configured host and port (0 picks a free port, see {@link #port()}). */
    public HeraldApi start() {
        app.start();
        log.info("API listening on {}:{}", host, port());
        return this;
    }

    /** @return the port actually bound, once started */
    public int port() {
        return app.port();
    }

    @Override
    public void close() {
        app.stop();
        if (ownsRegistry) {
            processMeters.close();
            registry.close();
        }
    }

    /**
     * Answers what Jetty refuses before Javalin sees a request (a lying or negative Content-Length, Content-Length with
     * chunking, CR or NUL in a header, oversized headers) as {@code {"errors": {"base": reason}}} instead of Jetty's
     * HTML page. Jetty's reasons name the rule that was broken, never the request's content.
     */
    static final class JsonErrorHandler extends ErrorHandler {
        private final ApiJson json;

        JsonErrorHandler(ApiJson json) {
            this.json = json;
        }

        @Override
        protected void generateResponse(
                Request request, Response response, int code, String message, Throwable cause, Callback callback) {
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
            response.write(true, ByteBuffer.wrap(body(code, message)), callback);
        }

        @Override
        public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
            fields.put(HttpHeader.CONTENT_TYPE, "application/json");
            return ByteBuffer.wrap(body(status, reason));
        }

        private byte[] body(int code, String reason) {
            String message = reason == null || reason.isBlank()
                    ? HttpStatus.forStatus(code).getMessage()
                    : reason;
            return json.write(ApiJson.ErrorReply.base(message)).getBytes(StandardCharsets.UTF_8);
        }
    }

    /**
     * Javalin's refusal as the API's error shape; a 405 names the methods the path takes in {@code Allow} (RFC 9110
     * requires it), which Javalin lists in the exception's details.
     */
    static Reply refusal(ApiJson json, int status, String message, Map<String, String> details) {
        Reply reply = json.error(
                status,
                switch (status) {
                    case 404 -> "Not found";
                    case 405 -> "Method not allowed";
                    default -> message;
                });
        if (status != HttpStatus.METHOD_NOT_ALLOWED.getCode()) {
            return reply;
        }
        String allowed = details.getOrDefault("availableMethods", details.get("Available methods"));
        return allowed == null || allowed.isBlank() ? reply : reply.withHeader("Allow", allowed);
    }

    /** The route template (so /v1/notifications/{id} is one series, not one per id). */
    /** The roles of the route registered for a method and path; empty when none is (a static file). */
    private Optional<Set<RouteRole>> declaredRoles(HandlerType method, String path) {
        return app.unsafe.internalRouter.findHttpHandlerEntries(method, path).stream()
                .findFirst()
                .map(e -> roles(e.endpoint));
    }

    private static Set<RouteRole> roles(Endpoint endpoint) {
        Roles roles = endpoint.metadata(Roles.class);
        return roles == null ? Set.of() : Set.copyOf(roles.getRoles());
    }

    /** A registered route and the roles it declares (for the test that every route declares one). */
    record DeclaredRoute(String method, String path, Set<RouteRole> roles) {}

    /** Every HTTP route this API registered, with the roles it declares. */
    List<DeclaredRoute> routes() {
        return app.unsafe.internalRouter.allHttpHandlers().stream()
                .map(e -> e.endpoint)
                .filter(e -> e.method.isHttpMethod())
                .map(e -> new DeclaredRoute(e.method.name(), e.path, roles(e)))
                .toList();
    }

    private static String route(Context ctx) {
        Endpoint matched = ctx.endpoints().matchedHttpEndpoint();
        if (matched != null) {
            return matched.path;
        }
        return ctx.statusCode() == HttpStatus.NOT_FOUND.getCode() ? "unmatched" : "static";
    }

    private static String resource(String path) {
        try (InputStream in = HeraldApi.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException(path + " is missing from the API's resources");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
