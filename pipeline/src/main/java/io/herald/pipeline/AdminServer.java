package io.herald.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The pipeline's admin port: {@code GET /metrics} in Prometheus's text format and
 * {@code GET /status} as JSON (every pool's workers with health, counters and last error). The
 * JDK's own HTTP server is enough for two read-only endpoints and keeps the pipeline free of a
 * web framework.
 */
public final class AdminServer implements AutoCloseable {

    private final HttpServer server;

    public AdminServer(String host, int port, PrometheusMeterRegistry registry, Supplier<Pipeline.PipelineStatus> status)
            throws IOException {
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        server = HttpServer.create(new InetSocketAddress(host, port), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/metrics", exchange -> reply(exchange, 200, "text/plain; version=0.0.4; charset=utf-8",
                registry.scrape()));
        server.createContext("/status", exchange -> reply(exchange, 200, "application/json",
                json.writeValueAsString(status.get())));
        server.createContext("/", exchange -> reply(exchange, 404, "application/json",
                "{\"errors\":{\"base\":\"Not found: try /metrics or /status\"}}"));
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
