package io.herald.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.herald.core.provider.DemoStandIn;
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
 * A stand-in for one provider's send API on 127.0.0.1, for the local chaos demo. It answers the provider's real send
 * request the way the provider's descriptor says the provider does ({@link DemoStandIn}: status, headers, body shape),
 * so Herald's real client for that provider runs against it unchanged. Broken, it answers every send with the
 * provider's server error, which Herald treats as the provider's fault.
 *
 * <p>It accepts any credentials and keeps nothing of what it is sent but counts.
 */
final class FakeProviderApi implements AutoCloseable {

    private final String provider;
    private final DemoStandIn<?> api;
    private final HttpServer server;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final AtomicBoolean broken = new AtomicBoolean();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();

    private FakeProviderApi(String provider, DemoStandIn<?> api) throws IOException {
        this.provider = provider;
        this.api = api;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(threads);
        server.createContext("/", this::answer);
        server.start();
    }

    /** Listens on a free loopback port, answering as {@code api} says the provider does. */
    static FakeProviderApi start(String provider, DemoStandIn<?> api) {
        try {
            return new FakeProviderApi(provider, api);
        } catch (IOException e) {
            throw new UncheckedIOException("the " + provider + " stand-in cannot listen on 127.0.0.1", e);
        }
    }

    String provider() {
        return provider;
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
                    || !api.sendPath().equals(exchange.getRequestURI().getPath())) {
                reply(
                        exchange,
                        new DemoStandIn.Answer(
                                404,
                                Map.of(),
                                "{\"message\":\"this stand-in answers only POST " + api.sendPath() + "\"}"));
                return;
            }
            if (broken.get()) {
                failed.incrementAndGet();
                reply(exchange, api.broken());
                return;
            }
            accepted.incrementAndGet();
            reply(exchange, api.accepted().forMessage(UUID.randomUUID().toString()));
        }
    }

    private static void reply(HttpExchange exchange, DemoStandIn.Answer answer) throws IOException {
        answer.headers().forEach(exchange.getResponseHeaders()::set);
        byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
        if (bytes.length > 0) {
            exchange.getResponseHeaders().set("Content-Type", "application/json");
        }
        exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
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
