package io.herald.api;

import io.herald.core.config.HeraldConfig;
import io.herald.core.sqs.QueueRef;
import io.herald.core.sqs.SqsProducer;
import io.javalin.Javalin;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.List;
import java.util.Objects;

/**
 * Herald's HTTP API: gomail's {@code POST /email/send} in front of the SQS queues, plus
 * {@code GET /healthz}. Every answer, errors included, is JSON.
 */
public final class HeraldApi implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HeraldApi.class);

    private final String host;
    private final Javalin app;

    /**
     * @param config    where to listen and the largest request body accepted
     * @param producer  puts envelopes on SQS
     * @param queues    the queues emails are spread over, round-robin; at least one
     * @param clock     stamps each envelope's createdAt
     */
    public HeraldApi(HeraldConfig.Api config, SqsProducer producer, List<QueueRef> queues, Clock clock) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(producer, "producer");
        Objects.requireNonNull(clock, "clock");
        if (queues == null || queues.isEmpty()) {
            throw new IllegalArgumentException("the API needs at least one queue to put emails on");
        }
        // maxBodyBytes + 1 bytes are read to detect an oversize body, so the limit must leave room.
        if (config.maxBodyBytes() <= 0 || config.maxBodyBytes() == Integer.MAX_VALUE) {
            throw new IllegalArgumentException("api.maxBodyBytes must be positive and below "
                    + Integer.MAX_VALUE + ", got " + config.maxBodyBytes());
        }
        this.host = config.host();
        ApiJson json = new ApiJson();
        SendEmailHandler sendEmail = new SendEmailHandler(config.maxBodyBytes(), producer, List.copyOf(queues), clock, json);
        this.app = Javalin.create(javalin -> {
            javalin.startup.showJavalinBanner = false;
            javalin.startup.showOldJavalinVersionWarning = false;
            // Each request blocks on one SQS call; virtual threads make that cheap without callbacks.
            javalin.concurrency.useVirtualThreads = true;
            javalin.jetty.host = config.host();
            javalin.jetty.port = config.port();
            javalin.http.prefer405over404 = true;

            javalin.routes.post("/email/send", sendEmail);
            javalin.routes.get("/healthz", ctx -> json.reply(ctx, HttpStatus.OK.getCode(), new ApiJson.Health("ok")));

            javalin.routes.error(HttpStatus.NOT_FOUND.getCode(),
                    ctx -> json.reply(ctx, HttpStatus.NOT_FOUND.getCode(), ApiJson.ErrorReply.base("Not found")));
            javalin.routes.error(HttpStatus.METHOD_NOT_ALLOWED.getCode(), ctx -> json.reply(ctx,
                    HttpStatus.METHOD_NOT_ALLOWED.getCode(), ApiJson.ErrorReply.base("Method not allowed")));
            // Javalin's own refusals (no route, wrong method) keep their status; only the shape changes.
            javalin.routes.exception(HttpResponseException.class,
                    (e, ctx) -> json.reply(ctx, e.getStatus(), ApiJson.ErrorReply.base(e.getMessage())));
            javalin.routes.exception(Exception.class, (e, ctx) -> {
                // The details go to the log only: an exception message can hold an endpoint or a key.
                log.error("unexpected error answering {} {}", ctx.method(), ctx.path(), e);
                json.reply(ctx, HttpStatus.INTERNAL_SERVER_ERROR.getCode(), ApiJson.ErrorReply.base("Internal error"));
            });
        });
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
    }
}
