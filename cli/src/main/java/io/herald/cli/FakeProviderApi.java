package io.herald.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A stand-in for one email provider's send API on 127.0.0.1, for the local chaos demo. It answers the provider's real
 * send request the way the provider does (status, headers, body shape), so Herald's real client for that provider runs
 * against it unchanged. Broken, it answers every send with the provider's server error (500), which Herald treats as
 * the provider's fault.
 *
 * <p>It accepts any credentials and keeps nothing of what it is sent but counts.
 */
final class FakeProviderApi implements AutoCloseable {

    /** The provider APIs it can stand in for, with their send request and answers. */
    enum Kind {
        /** Amazon SES v2 SendEmail (REST-JSON): 200 {"MessageId"}; errors carry x-amzn-ErrorType. */
        SES("ses", "/v2/email/outbound-emails"),
        /** SendGrid v3 mail/send: 202 with X-Message-Id; errors are {"errors":[{"message"}]}. */
        SENDGRID("sendgrid", "/v3/mail/send");

        final String provider;
        final String sendPath;

        Kind(String provider, String sendPath) {
            this.provider = provider;
            this.sendPath = sendPath;
        }
    }

    private final Kind kind;
    private final HttpServer server;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final AtomicBoolean broken = new AtomicBoolean();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();

    private FakeProviderApi(Kind kind) throws IOException {
        this.kind = kind;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(threads);
        server.createContext("/", this::answer);
        server.start();
    }

    /** Listens on a free loopback port. */
    static FakeProviderApi start(Kind kind) {
        try {
            return new FakeProviderApi(kind);
        } catch (IOException e) {
            throw new UncheckedIOException("the " + kind.provider + " stand-in cannot listen on 127.0.0.1", e);
        }
    }

    String provider() {
        return kind.provider;
    }

    /** The base URL to configure the provider's client with. */
    URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    boolean isBroken() {
        return broken.get();
    }

    void setBroken(boolean value) {
        broken.set(value);
    }

    long accepted() {
        return accepted.get();
    }

    long failed() {
        return failed.get();
    }

    private void answer(HttpExchange exchange) throws IOException {
        try (exchange;
                InputStream body = exchange.getRequestBody()) {
            body.transferTo(OutputStream.nullOutputStream());
            if (!"POST".equals(exchange.getRequestMethod())
                    || !kind.sendPath.equals(exchange.getRequestURI().getPath())) {
                reply(
                        exchange,
                        404,
                        Map.of(),
                        "{\"message\":\"this stand-in answers only POST " + kind.sendPath + "\"}");
                return;
            }
            if (broken.get()) {
                failed.incrementAndGet();
                switch (kind) {
                    case SES ->
                        reply(
                                exchange,
                                500,
                                Map.of("x-amzn-ErrorType", "InternalFailure"),
                                "{\"message\":\"broken on purpose by the local chaos demo\"}");
                    case SENDGRID ->
                        reply(
                                exchange,
                                500,
                                Map.of(),
                                "{\"errors\":[{\"message\":\"broken on purpose by the local chaos demo\"}]}");
                }
                return;
            }
            accepted.incrementAndGet();
            String id = UUID.randomUUID().toString();
            switch (kind) {
                case SES -> reply(exchange, 200, Map.of(), "{\"MessageId\":\"" + id + "\"}");
                case SENDGRID -> reply(exchange, 202, Map.of("X-Message-Id", id), "");
            }
        }
    }

    private static void reply(HttpExchange exchange, int status, Map<String, String> headers, String json)
            throws IOException {
        headers.forEach(exchange.getResponseHeaders()::set);
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > 0) {
            exchange.getResponseHeaders().set("Content-Type", "application/json");
        }
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.close();
    }
}
