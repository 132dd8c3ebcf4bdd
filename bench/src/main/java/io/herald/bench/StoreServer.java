package io.herald.bench;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The drill's handle on a {@link StoreServerMain} child: where its proxy and the server itself listen, the proxy's
 * request counts, its receive gate, and the child's CPU time.
 */
final class StoreServer implements AutoCloseable {

    private final ChildJvm child;
    private final URI proxy;
    private final URI direct;
    private final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final ObjectMapper json = new ObjectMapper();

    private StoreServer(ChildJvm child, URI proxy, URI direct) {
        this.child = child;
        this.proxy = proxy;
        this.direct = direct;
    }

    /** @param kind {@code sqs} or {@code dynamodb}; with the pipeline drill's heap and collector */
    static StoreServer start(String kind) throws IOException, InterruptedException {
        return start(kind, List.of("-Xmx1g", "-XX:+UseParallelGC"));
    }

    /**
     * @param kind {@code sqs} or {@code dynamodb}
     * @param jvmOptions the child's own, e.g. none for the JVM's defaults or a JFR recording
     */
    static StoreServer start(String kind, List<String> jvmOptions) throws IOException, InterruptedException {
        ChildJvm child = ChildJvm.start(StoreServerMain.class, jvmOptions, List.of(kind), Duration.ofSeconds(90));
        String line = child.readyLine();
        if (!line.startsWith("proxy=") || !line.contains(" direct=")) {
            child.close();
            throw new IllegalStateException("the " + kind + " server said '" + line + "' instead of its endpoints");
        }
        String[] parts = line.split(" ");
        return new StoreServer(
                child,
                URI.create(parts[0].substring("proxy=".length())),
                URI.create(parts[1].substring("direct=".length())));
    }

    /** Where consumers go: every request is counted. */
    URI proxy() {
        return proxy;
    }

    /** The server itself, for the drill's filling and polling, which are not what is measured. */
    URI direct() {
        return direct;
    }

    long pid() {
        return child.pid();
    }

    double cpuSeconds() {
        return ProcCpu.seconds(child.pid());
    }

    Map<String, Long> counts() throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(proxy.resolve("/__proxy/counts")).build(), HttpResponse.BodyHandlers.ofString());
        return new TreeMap<>(json.readValue(response.body(), new TypeReference<Map<String, Long>>() {}));
    }

    /**
     * Closes the receive gate and waits until no receive is out at the server, so nothing a consumer asked for before
     * can take messages put on the queue from now on.
     */
    void holdReceives(Duration limit) throws IOException, InterruptedException {
        post("/__proxy/gate/close");
        Await.until(() -> receiving() == 0, limit, "the consumers' long polls to come back empty");
    }

    void releaseReceives() throws IOException, InterruptedException {
        post("/__proxy/gate/open");
    }

    private int receiving() {
        try {
            return Integer.parseInt(http.send(
                            HttpRequest.newBuilder(proxy.resolve("/__proxy/receiving"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body()
                    .strip());
        } catch (IOException e) {
            throw new IllegalStateException("the counting proxy does not answer: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
    }

    private void post(String path) throws IOException, InterruptedException {
        int status = http.send(
                        HttpRequest.newBuilder(proxy.resolve(path))
                                .POST(HttpRequest.BodyPublishers.noBody())
                                .build(),
                        HttpResponse.BodyHandlers.discarding())
                .statusCode();
        if (status >= 300) {
            throw new IllegalStateException("the counting proxy answered " + status + " to " + path);
        }
    }

    @Override
    public void close() throws InterruptedException {
        http.close();
        child.close();
    }
}
