package io.herald.pipeline.provider.http;

import io.herald.pipeline.provider.Redactor;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * One provider's HTTP client: sends a JSON body with a deadline and returns what came back, or why
 * nothing did, without throwing. One per provider (connections are reused across its sends), closed
 * with the provider: an open {@link HttpClient} keeps a selector thread alive.
 */
public final class HttpJson implements AutoCloseable {

    /** What one request produced. */
    public sealed interface Reply {
    }

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
     * @param reason   why, already redacted
     */
    public record Failed(boolean timedOut, String reason) implements Reply {
    }

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
        headers.forEach(request::header);
        try {
            HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Answer(response.statusCode(), response.headers(), response.body() == null ? "" : response.body());
        } catch (HttpConnectTimeoutException e) {
            return new Failed(true, "could not connect within the connect timeout");
        } catch (HttpTimeoutException e) {
            return new Failed(true, "no answer within " + timeout.toMillis() + " ms");
        } catch (ConnectException e) {
            return new Failed(false, "connection refused or unreachable");
        } catch (IOException e) {
            return new Failed(false, "I/O error: " + e.getClass().getSimpleName()
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
}
