package io.herald.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.herald.core.health.ReadinessCheck;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The pipeline's admin port: {@code GET /metrics} in Prometheus's text format, {@code GET /status} as JSON (every
 * pool's workers with health, counters and last error), {@code GET /healthz} (the process answers) and {@code GET
 * /readyz} (200 when every dependency answers, else 503 with a JSON body naming what failed). The JDK's own HTTP server
 * is enough for a few read-only endpoints and keeps the pipeline free of a web framework.
 */
public final class AdminServer implements AutoCloseable {

    /** Below a probe's usual timeout, so a hung dependency reads as "not ready", not as a hung pipeline. */
    static final Duration READINESS_TIMEOUT = Duration.ofSeconds(2);

    private final HttpServer server;

    /** What {@code /readyz} answers: "ready" or "not ready", and each check's "ok" or what is wrong. */
    public record ReadyAnswer(String status, Map<String, String> checks) {}

    /** Without dependencies to ask: {@code /readyz} answers ready whenever the process does. */
    public AdminServer(
            String host, int port, PrometheusMeterRegistry registry, Supplier<Pipeline.PipelineStatus> status)
            throws IOException {
        this(host, port, registry, status, List.of());
    }

    /** @param readiness what {@code /readyz} asks, e.g. SQS and the status table */
    public AdminServer(
            String host,
            int port,
            PrometheusMeterRegistry registry,
            Supplier<Pipeline.PipelineStatus> status,
            List<ReadinessCheck> readiness)
            throws IOException {
        List<ReadinessCheck> checks = List.copyOf(readiness);
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        server = HttpServer.create(new InetSocketAddress(host, port), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext(
                "/metrics",
                exchange -> reply(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape()));
        server.createContext(
                "/status", exchange -> reply(exchange, 200, "application/json", json.writeValueAsString(status.get())));
        server.createContext("/healthz", exchange -> reply(exchange, 200, "application/json", "{\"status\":\"ok\"}"));
        server.createContext("/readyz", exchange -> {
            Map<String, String> results;
            try {
                results = ReadinessCheck.runAll(checks, READINESS_TIMEOUT);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                results = Map.of("pipeline", "stopping");
            }
            boolean ready = ReadinessCheck.allOk(results);
            reply(
                    exchange,
                    ready ? 200 : 503,
                    "application/json",
                    json.writeValueAsString(new ReadyAnswer(ready ? "ready" : "not ready", results)));
        });
        server.createContext(
                "/",
                exchange -> reply(
                        exchange,
                        404,
                        "application/json",
                        "{\"errors\":{\"base\":\"Not found: try /metrics, /status, /healthz or /readyz\"}}"));
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private static void reply(HttpExchange exchange, int code, String type, String body) throws IOException {
        try (exchange) {
            if (!"GET".equals(exchange.getRequestMethod())) {
                code = 405;
                body = "{\"errors\":{\"base\":\"Method not allowed\"}}";
                type = "application/json";
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", type);
            exchange.sendResponseHeaders(code, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
