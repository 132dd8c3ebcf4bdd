package io.herald.bench;

import io.javalin.Javalin;
import io.javalin.http.Context;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.LongAdder;

/**
 * A loopback HTTP proxy in front of an AWS-protocol server (ElasticMQ, DynamoDB Local) that counts requests by action,
 * read from the {@code X-Amz-Target} header of the JSON protocol both speak ({@code AmazonSQS.ReceiveMessage},
 * {@code DynamoDB_20120810.UpdateItem}). Counting at the server's door measures any client (Herald, a plain SDK client,
 * Spring) the same way without touching its code. It runs in the server's process, so its CPU is the server's, not the
 * client's.
 *
 * <p>It can also hold ReceiveMessage calls at a gate: closed, new receives wait at the proxy (a consumer then sees a
 * slow long poll, nothing else), so a queue can be filled while a consumer that is already running cannot start on it;
 * opening the gate lets them all through at once.
 *
 * <p>Control, on the proxy's own port: {@code GET /__proxy/counts} (JSON action to count), {@code POST
 * /__proxy/gate/close}, {@code POST /__proxy/gate/open}, {@code GET /__proxy/receiving} (ReceiveMessage calls forwarded
 * and not yet answered).
 */
final class CountingProxy implements AutoCloseable {

    static final String RECEIVE = "ReceiveMessage";

    /** Headers the JDK's client sets itself (or refuses), and hop-by-hop ones that must not be copied. */
    private static final Set<String> NOT_COPIED = Set.of(
            "host",
            "content-length",
            "connection",
            "expect",
            "upgrade",
            "transfer-encoding",
            "keep-alive",
            "te",
            "trailer",
            "proxy-connection",
            "date",
            "server");

    private final URI upstream;
    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .executor(Executors.newVirtualThreadPerTaskExecutor())
            .build();
    private final Object gateLock = new Object();
    private boolean gateClosed;
    private int receiving;
    private final Javalin server;

    CountingProxy(URI upstream) {
        this.upstream = upstream;
        // Jetty on virtual threads: a long poll holds a request for up to 20 s, and many may wait at once.
        this.server = Javalin.create(config -> {
                    config.startup.showJavalinBanner = false;
                    config.concurrency.useVirtualThreads = true;
                    config.jetty.host = "127.0.0.1";
                    config.jetty.port = 0;
                    config.routes.get("/__proxy/counts", ctx -> ctx.json(counts()));
                    config.routes.get("/__proxy/receiving", ctx -> ctx.result(Integer.toString(receiving())));
                    config.routes.post("/__proxy/gate/close", ctx -> gate(true));
                    config.routes.post("/__proxy/gate/open", ctx -> gate(false));
                    config.routes.post("/", this::forward);
                })
                .start();
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.port());
    }

    /** Requests so far, by action. */
    Map<String, Long> counts() {
        Map<String, Long> out = new TreeMap<>();
        counts.forEach((action, n) -> out.put(action, n.sum()));
        return out;
    }

    private int receiving() {
        synchronized (gateLock) {
            return receiving;
        }
    }

    private void gate(boolean close) {
        synchronized (gateLock) {
            gateClosed = close;
            gateLock.notifyAll();
        }
    }

    /** The action of an AWS JSON-protocol request: the part of X-Amz-Target after the dot. */
    static String action(String target) {
        if (target == null || target.isBlank()) {
            return "(no X-Amz-Target)";
        }
        int dot = target.lastIndexOf('.');
        return dot < 0 ? target : target.substring(dot + 1);
    }

    private void forward(Context ctx) throws Exception {
        String action = action(ctx.header("X-Amz-Target"));
        counts.computeIfAbsent(action, a -> new LongAdder()).increment();
        boolean receive = action.equals(RECEIVE);
        if (receive) {
            synchronized (gateLock) {
                while (gateClosed) {
                    gateLock.wait();
                }
                receiving++;
            }
        }
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(upstream.resolve(ctx.path()))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(ctx.bodyAsBytes()));
            ctx.headerMap().forEach((name, value) -> {
                if (!NOT_COPIED.contains(name.toLowerCase(Locale.ROOT))) {
                    request.header(name, value);
                }
            });
            HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            ctx.status(response.statusCode());
            response.headers().map().forEach((name, values) -> {
                String lower = name.toLowerCase(Locale.ROOT);
                if (lower.equals("content-type")) {
                    ctx.contentType(values.getFirst());
                } else if (!NOT_COPIED.contains(lower) && !name.startsWith(":")) {
                    values.forEach(v -> ctx.res().addHeader(name, v));
                }
            });
            ctx.result(response.body());
        } finally {
            if (receive) {
                synchronized (gateLock) {
                    receiving--;
                }
            }
        }
    }

    @Override
    public void close() {
        server.stop();
        http.close();
    }
}
