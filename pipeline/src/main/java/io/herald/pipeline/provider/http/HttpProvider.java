package io.herald.pipeline.provider.http;

import io.herald.core.config.Redactor;
import io.herald.core.envelope.Envelope;
import io.herald.pipeline.provider.Outcome;
import io.herald.pipeline.provider.Provider;
import io.herald.pipeline.provider.RetryAfter;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The send loop every HTTP provider shares: build the request, send it with what is left of the timeout (waiting for
 * the rate limit, {@link io.herald.pipeline.provider.RateLimitedProvider}, may have used some), classify the answer,
 * and mark a 429 as the provider asking to slow down. A subclass says only how an envelope becomes a request and how
 * its API's answers map to {@link Outcome}s.
 */
public abstract class HttpProvider implements Provider, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HttpProvider.class);

    /** A request to make: the method (POST or PUT), where, the JSON body and extra headers. */
    public record Call(String method, URI uri, String json, Map<String, String> headers) {}

    protected final Redactor redactor;
    protected final Clock clock;
    private final HttpJson http;
    private final Duration timeout;

    protected HttpProvider(Duration timeout, Redactor redactor, Clock clock) {
        this.timeout = timeout;
        this.redactor = redactor;
        this.clock = clock;
        this.http = new HttpJson(timeout, redactor);
    }

    /** Builds the request for one envelope; may throw for content that cannot be sent (see {@link #send}). */
    protected abstract Call call(Envelope envelope);

    /** What the API's answer means for this message and this provider. */
    protected abstract Outcome classify(HttpJson.Answer answer);

    /** An optional second limiter for the target, e.g. Telegram's one message per second per chat. */
    protected Optional<Outcome.Retry> waitForTarget(Envelope envelope) {
        return Optional.empty();
    }

    @Override
    public final Outcome send(Envelope envelope) {
        return send(envelope, clock.instant().plus(timeout));
    }

    @Override
    public final Outcome send(Envelope envelope, Instant deadline) {
        Instant ownDeadline = clock.instant().plus(timeout);
        if (ownDeadline.isBefore(deadline)) {
            deadline = ownDeadline;
        }
        Optional<Outcome.Retry> wait = waitForTarget(envelope);
        if (wait.isPresent()) {
            return logged(envelope, wait.get());
        }
        Call call;
        try {
            call = call(envelope);
        } catch (Unsendable e) {
            return logged(envelope, new Outcome.Rejected(redactor.redact(e.getMessage())));
        } catch (RuntimeException e) {
            // An operator's template that fails is this provider's configuration, not the message.
            return logged(
                    envelope,
                    new Outcome.ProviderDown(
                            "rendering failed: " + redactor.brief(String.valueOf(e.getMessage()), 300)));
        }
        Duration left = Duration.between(clock.instant(), deadline);
        HttpJson.Reply reply = "PUT".equals(call.method())
                ? http.put(call.uri(), call.json(), call.headers(), left)
                : http.post(call.uri(), call.json(), call.headers(), left);
        Outcome outcome = switch (reply) {
            case HttpJson.Failed failed ->
                new Outcome.Retry(
                        Duration.ZERO, (failed.timedOut() ? "timed out: " : "not reached: ") + failed.reason());
            case HttpJson.Answer answer -> {
                Outcome classified = classify(answer);
                if (answer.status() == 429 && classified instanceof Outcome.Retry retry) {
                    yield Outcome.Retry.slowDown(retry.after(), retry.reason());
                }
                yield classified;
            }
        };
        return logged(envelope, outcome);
    }

    private Outcome logged(Envelope envelope, Outcome outcome) {
        if (log.isDebugEnabled()) {
            log.debug("{} {} -> {}", name(), envelope.id(), outcome);
        }
        return outcome;
    }

    /** The delay of a Retry-After header, or zero (the pipeline's own backoff) without one. */
    protected Duration retryAfterHeader(HttpJson.Answer answer) {
        return answer.header("Retry-After")
                .flatMap(v -> RetryAfter.header(v, clock))
                .orElse(Duration.ZERO);
    }

    /** Redacted, shortened answer body for a reason. */
    protected String brief(String body) {
        return redactor.brief(body, 300);
    }

    @Override
    public void close() {
        http.close();
    }

    @Override
    public String toString() {
        // Never the URL: for webhooks it is the credential.
        return getClass().getSimpleName() + "[" + name() + "]";
    }

    /** Thrown by {@link #call} when this message can never be sent as it is (e.g. a malformed target). */
    protected static final class Unsendable extends RuntimeException {
        public Unsendable(String message) {
            super(message, null, false, false);
        }
    }
}
