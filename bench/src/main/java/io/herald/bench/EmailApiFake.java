package io.herald.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.core.config.Secret;
import io.herald.core.provider.sendgrid.SendGridConfig;
import io.herald.core.provider.ses.SesConfig;
import io.herald.pipeline.provider.sendgrid.SendGridProvider;
import io.herald.pipeline.provider.ses.SesProvider;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * An in-process fake of an email provider's HTTP API on 127.0.0.1, answering as the real API does (SES v2 SendEmail:
 * 200 with a MessageId; SendGrid mail/send: 202 with X-Message-Id), or 500 while {@link #failing(boolean) failing}. It
 * records every request with the Herald id the real provider class put in it (SES email tag {@code herald-id}, SendGrid
 * custom arg {@code herald_id}), so a drill can account for every message.
 */
final class EmailApiFake implements AutoCloseable {

    /** The provider API a fake speaks. */
    enum Api {
        SES("/v2/email/outbound-emails"),
        SENDGRID("/v3/mail/send");

        final String path;

        Api(String path) {
            this.path = path;
        }
    }

    /** One request as the fake answered it; {@code nanos} on the {@link System#nanoTime()} clock. */
    record Received(long nanos, String heraldId, int status) {
        boolean accepted() {
            return status < 300;
        }
    }

    private final Api api;
    private final Duration latency;
    private final AtomicBoolean failing = new AtomicBoolean();
    private final Queue<Received> received = new ConcurrentLinkedQueue<>();
    private final AtomicInteger acceptedCount = new AtomicInteger();
    private final ObjectMapper json = new ObjectMapper();
    private final Javalin server;

    EmailApiFake(Api api, Duration latency) {
        this.api = api;
        this.latency = latency;
        // Jetty on virtual threads, so the fake holds as many slow requests as the pipeline sends.
        this.server = Javalin.create(config -> {
                    config.startup.showJavalinBanner = false;
                    config.concurrency.useVirtualThreads = true;
                    config.jetty.host = "127.0.0.1";
                    config.jetty.port = 0;
                    config.routes.post(api.path, this::answer);
                })
                .start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.port();
    }

    /** Herald's real SendGrid provider pointed at a SendGrid fake at {@code baseUrl}; no rate limit to speak of. */
    static SendGridProvider sendGridProvider(String baseUrl, Duration timeout, Clock clock) {
        return new SendGridProvider(
                new SendGridConfig(
                        true,
                        1,
                        timeout,
                        10_000,
                        Duration.ofSeconds(1),
                        "",
                        baseUrl,
                        Secret.of("SG.bench-key"),
                        "herald@example.org",
                        SendGridConfig.EventWebhook.defaults()),
                clock);
    }

    /** Herald's real SES provider pointed at an SES fake at {@code baseUrl}, with made-up credentials. */
    static SesProvider sesProvider(String baseUrl, Duration timeout, Clock clock) {
        return new SesProvider(
                new SesConfig(
                        true,
                        1,
                        timeout,
                        10_000,
                        Duration.ofSeconds(1),
                        "",
                        "us-east-1",
                        baseUrl,
                        "herald@example.org",
                        "",
                        SesConfig.Feedback.defaults()),
                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDBENCH", "bench-secret")),
                clock);
    }

    /** From now on answer 500 (true) or as the healthy API does (false). */
    void failing(boolean fail) {
        failing.set(fail);
    }

    List<Received> received() {
        return List.copyOf(received);
    }

    /** Requests answered with success so far, repeats included: cheap to poll, unlike {@link #received()}. */
    int acceptedCount() {
        return acceptedCount.get();
    }

    /** Forgets every request so far, between the runs of a drill (call it while nothing is sent). */
    void clear() {
        received.clear();
        acceptedCount.set(0);
    }

    /** The Herald ids of every request answered with success, repeats included. */
    List<String> acceptedIds() {
        return received.stream()
                .filter(Received::accepted)
                .map(Received::heraldId)
                .toList();
    }

    private void answer(Context ctx) throws Exception {
        String id = heraldId(json.readTree(ctx.bodyAsBytes()));
        if (!latency.isZero()) {
            Thread.sleep(latency);
        }
        boolean fail = failing.get();
        int status = fail ? 500 : api == Api.SES ? 200 : 202;
        received.add(new Received(System.nanoTime(), id, status));
        if (!fail) {
            acceptedCount.incrementAndGet();
        }
        ctx.status(status).contentType("application/json");
        if (fail) {
            ctx.result(
                    api == Api.SES
                            ? "{\"message\":\"Internal failure\"}"
                            : "{\"errors\":[{\"message\":\"internal error\"}]}");
        } else if (api == Api.SES) {
            ctx.result("{\"MessageId\":\"" + UUID.randomUUID() + "\"}");
        } else {
            ctx.header("X-Message-Id", UUID.randomUUID().toString()).result("");
        }
    }

    private String heraldId(JsonNode body) {
        if (api == Api.SES) {
            for (JsonNode tag : body.path("EmailTags")) {
                if ("herald-id".equals(tag.path("Name").asText())) {
                    return tag.path("Value").asText();
                }
            }
            return "";
        }
        return body.path("personalizations")
                .path(0)
                .path("custom_args")
                .path("herald_id")
                .asText("");
    }

    @Override
    public void close() {
        server.stop();
    }
}
