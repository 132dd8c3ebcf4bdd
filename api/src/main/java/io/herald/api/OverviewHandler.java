package io.herald.api;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HttpStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code GET /v1/admin/overview}: queues, provider health, pauses and what went wrong lately. */
final class OverviewHandler implements Handler {

    private static final Logger log = LoggerFactory.getLogger(OverviewHandler.class);

    private final OperationsOverview overview;
    private final Intake intake;
    private final ApiJson json;

    OverviewHandler(OperationsOverview overview, Intake intake, ApiJson json) {
        this.overview = overview;
        this.intake = intake;
        this.json = json;
    }

    @Override
    public void handle(Context ctx) {
        json.send(ctx, answer(ctx));
    }

    /** {@code GET /v1/admin/overview/history}: the chart's samples of the last hour, so a reload keeps it. */
    void history(Context ctx) {
        json.send(ctx, json.reply(HttpStatus.OK.getCode(), overview.history()));
    }

    private Reply answer(Context ctx) {
        try {
            return json.reply(HttpStatus.OK.getCode(), overview.snapshot());
        } catch (RuntimeException e) {
            // SQS or the status table did not answer; the message may name an endpoint, so only the log has it.
            log.warn("operations overview cannot be assembled, answering 503: {}", e.getMessage());
            return intake.unavailable();
        }
    }
}
