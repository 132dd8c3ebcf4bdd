package io.herald.pipeline.provider.http;

import io.herald.core.config.Redactor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * One provider's HTTP client: sends a JSON body with a deadline and returns what came back, or why nothing did, without
 * throwing. One per provider (connections are reused across its sends), closed with the provider: an open
 * {@link HttpClient} keeps a selector thread alive.
 */
public final class HttpJson implements AutoCloseable {

    /** What one request produced. */
    public sealed interface Reply {}

    /** The server answered, with any status. */
    public record Answer(int status, HttpHeaders headers, String body) implements Reply {
        public Optional<String> header(String name) {
            return headers.firstValue(name);
        }

        public boolean is2xx() {
            return status >= 200 && status < 300;
        }
    }

    /**
     * No answer: a timeout, a refused connection, a broken one.
     *
     * @param timedOut whether the deadline passed (the request may still have been delivered)
     * @param reason why, already redacted
     */
    public record Failed(boolean timedOut, String reason) implements Reply {}

    /**
     * How much of an answer is read: error answers are a few hundred bytes, and only 300 characters of one ever reach a
     * reason; a server (or something posing as one) that sends more gets cut off rather than filling the heap.
     */
    public static final int MAX_ANSWER_BYTES = 64 * 1024;

    private final HttpClient client;
    private final Redactor redactor;

    public HttpJson(Duration connectTimeout, Redactor redactor) {
        this.client = HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                // Webhook hosts answer on HTTP/1.1 alike; skipping h2c upgrade attempts keeps it simple.
                .version(HttpClient.Version.HTTP_1_1)
                // A redirect could carry the credential-bearing request somewhere else.
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        this.redactor = redactor;
    }

    public Reply post(URI uri, String json, Map<String, String> headers, Duration timeout) {
        return send("POST", uri, json, headers, timeout);
    }

    public Reply put(URI uri, String json, Map<String, String> headers, Duration timeout) {
        return send("PUT", uri, json, headers, timeout);
    }

    private Reply send(String method, URI uri, String json, Map<String, String> headers, Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            return new Failed(true, "no time left for the request");
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(timeout)
                .header("Content-Type", "application/json; charset=utf-8")
                .header("User-Agent", "Herald")
                .method(method, HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
        // Set, not added: a provider may replace the JSON content type (one that posts Markdown text).
        headers.forEach(request::setHeader);
        try {
            HttpResponse<String> response = client.send(request.build(), info -> new CappedBody(MAX_ANSWER_BYTES));
            return new Answer(
                    response.statusCode(), response.headers(), response.body() == null ? "" : response.body());
        } catch (HttpConnectTimeoutException e) {
            return new Failed(true, "could not connect within the connect timeout");
        } catch (HttpTimeoutException e) {
            return new Failed(true, "no answer within " + timeout.toMillis() + " ms");
        } catch (ConnectException e) {
            return new Failed(false, "connection refused or unreachable");
        } catch (IOException e) {
            return new Failed(
                    false,
                    "I/O error: " + e.getClass().getSimpleName()
                            + (e.getMessage() == null ? "" : ": " + redactor.brief(e.getMessage(), 200)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Failed(false, "interrupted");
        }
    }

    @Override
    public void close() {
        client.close();
    }

    /**
     * Collects at most {@code limit} bytes of a body as UTF-8 text, then cancels the rest: the connection is dropped
     * instead of reused, and the text ends where the limit fell.
     */
    static final class CappedBody implements HttpResponse.BodySubscriber<String> {

        private final int limit;
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final CompletableFuture<String> text = new CompletableFuture<>();
        private Flow.Subscription subscription;

        CappedBody(int limit) {
            this.limit = limit;
        }

        @Override
        public CompletionStage<String> getBody() {
            return text;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            subscription.request(1);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            for (ByteBuffer buffer : buffers) {
                int take = Math.min(buffer.remaining(), limit - bytes.size());
                byte[] chunk = new byte[take];
                buffer.get(chunk);
                bytes.write(chunk, 0, take);
                if (buffer.hasRemaining()) {
                    subscription.cancel();
                    finish();
                    return;
                }
            }
            subscription.request(1);
        }

        @Override
        public void onError(Throwable error) {
            text.completeExceptionally(error);
        }

        @Override
        public void onComplete() {
            finish();
        }

        private void finish() {
            text.complete(bytes.toString(StandardCharsets.UTF_8));
        }
    }
}
