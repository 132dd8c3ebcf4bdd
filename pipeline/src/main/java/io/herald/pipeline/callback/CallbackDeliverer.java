package io.herald.pipeline.callback;

import io.herald.core.callback.CallbackEvent;
import io.herald.core.callback.CallbackTargets;
import io.herald.core.callback.WebhookSigner;
import io.herald.core.retry.Backoff;
import io.herald.core.retry.Sleeps;
import io.herald.core.sqs.MessageAttributes;
import io.herald.core.status.StatusStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * Posts the callbacks waiting on the callbacks queue, signed, and retries the failed ones on the configured schedule.
 *
 * <p>The schedule lives in SQS, not in memory: a failed callback stays on the queue, hidden for its next wait (its
 * visibility timeout changed to it; SQS allows up to 12 h), and its attempt is the message's receive count. So a
 * restart loses no callback and delays none by more than the receive in flight, and any pipeline instance may post the
 * next attempt. After the last wait's attempt fails too, the callback is given up: counted, logged (scheme and host of
 * the URL only), noted on the message's status, and deleted. What cannot be read stays on the queue until SQS moves it
 * to the dead-letter queue.
 *
 * <p>Each attempt checks the target again ({@link CallbackTargets}: what a name resolves to may have changed since the
 * request), follows no redirect (a 3xx is a failed attempt: a redirect could lead to a private address) and has
 * {@code timeout} in all.
 */
public final class CallbackDeliverer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CallbackDeliverer.class);
    /** SQS's most per receive. */
    private static final int RECEIVE_BATCH = 10;
    /** Posts in flight at most; a receive waits for room for a whole batch. */
    private static final int IN_FLIGHT = 50;
    /** Hidden this much beyond the timeout while being posted, so no other reader posts it at the same time. */
    private static final Duration POST_MARGIN = Duration.ofSeconds(30);

    private final SqsClient sqs;
    private final String queueUrl;
    private final WebhookSigner signer;
    private final CallbackTargets targets;
    private final List<Duration> retrySchedule;
    private final Duration timeout;
    private final StatusStore status;
    private final Clock clock;
    private final Backoff backoff;
    private final Duration receiveWait;
    private final HttpClient http;
    private final Semaphore room = new Semaphore(IN_FLIGHT);
    private final Counter delivered;
    private final Counter retrying;
    private final Counter givenUp;
    private volatile boolean stopping;
    private Thread reader;

    /**
     * @param retrySchedule the wait after each failed attempt; attempts = waits + 1
     * @param status where a callback given up on is noted (null: nowhere)
     * @param backoff the pause after the queue itself failed
     * @param receiveWait each receive's long poll (pipeline.receiveWait; 20 s, SQS's longest, keeps an idle queue at
     *     three requests a minute)
     */
    public CallbackDeliverer(
            SqsClient sqs,
            String queueUrl,
            WebhookSigner signer,
            CallbackTargets targets,
            List<Duration> retrySchedule,
            Duration timeout,
            StatusStore status,
            MeterRegistry registry,
            Clock clock,
            Backoff backoff,
            Duration receiveWait) {
        this.receiveWait = receiveWait;
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.signer = signer;
        this.targets = targets;
        this.retrySchedule = List.copyOf(retrySchedule);
        this.timeout = timeout;
        this.status = status;
        this.clock = clock;
        this.backoff = backoff;
        this.http = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(timeout)
                .executor(Executors.newVirtualThreadPerTaskExecutor())
                .build();
        this.delivered = outcome(registry, "delivered");
        this.retrying = outcome(registry, "retrying");
        this.givenUp = outcome(registry, "given_up");
    }

    private static Counter outcome(MeterRegistry registry, String outcome) {
        return Counter.builder("herald.callbacks")
                .description("Status callback attempts by outcome: delivered, retrying (failed, tried again later),"
                        + " given_up (failed on the last attempt)")
                .tag("outcome", outcome)
                .register(registry);
    }

    /** Starts reading the callbacks queue on a thread of its own. */
    public synchronized void start() {
        if (reader == null) {
            reader = Thread.ofVirtual().name("herald-callbacks").start(this::run);
        }
    }

    private void run() {
        int failures = 0;
        while (!stopping) {
            try {
                room.acquire(RECEIVE_BATCH);
            } catch (InterruptedException e) {
                return;
            }
            List<Message> messages;
            try {
                messages = sqs.receiveMessage(b -> b.queueUrl(queueUrl)
                                .maxNumberOfMessages(RECEIVE_BATCH)
                                .waitTimeSeconds((int) receiveWait.toSeconds())
                                .visibilityTimeout(
                                        (int) timeout.plus(POST_MARGIN).toSeconds())
                                .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT))
                        .messages();
                failures = 0;
            } catch (SdkException e) {
                room.release(RECEIVE_BATCH);
                if (stopping) {
                    return;
                }
                failures++;
                log.warn("callbacks queue cannot be read (attempt {}): {}", failures, e.getMessage());
                Sleeps.quietly(backoff.step(failures));
                continue;
            }
            room.release(RECEIVE_BATCH - messages.size());
            for (Message message : messages) {
                Thread.ofVirtual().name("herald-callback").start(() -> {
                    try {
                        deliver(message);
                    } finally {
                        room.release();
                    }
                });
            }
        }
    }

    /** One attempt of one callback, and what follows from it on the queue. */
    void deliver(Message message) {
        CallbackEvent event;
        try {
            event = CallbackEvent.fromQueueBody(message.body());
        } catch (IllegalArgumentException e) {
            // Left on the queue: SQS's redrive moves it to the dead-letter queue after maxReceiveCount receives.
            log.warn(
                    "callbacks queue message {} cannot be read, left for the dead-letter queue: {}",
                    message.messageId(),
                    e.getMessage());
            return;
        }
        int attempt = MessageAttributes.receiveCount(message);
        Optional<String> failure = post(event);
        if (failure.isEmpty()) {
            delivered.increment();
            delete(message, event);
            log.debug("callback {} delivered (attempt {})", event, attempt);
            return;
        }
        if (attempt > retrySchedule.size()) {
            giveUp(message, event, attempt, failure.get());
            return;
        }
        Duration wait = retrySchedule.get(attempt - 1);
        retrying.increment();
        log.info("callback {} failed (attempt {}), next in {}: {}", event, attempt, wait, failure.get());
        try {
            sqs.changeMessageVisibility(b -> b.queueUrl(queueUrl)
                    .receiptHandle(message.receiptHandle())
                    .visibilityTimeout((int) wait.toSeconds()));
        } catch (SdkException e) {
            // It comes back when the receive's visibility ends: sooner than planned, never lost.
            log.warn("callback {}: its next attempt could not be delayed: {}", event, e.getMessage());
        }
    }

    /** @return why the attempt failed, in words without the URL's path or query; empty when it was delivered */
    Optional<String> post(CallbackEvent event) {
        Optional<String> refused = targets.problem(event.url());
        if (refused.isPresent()) {
            return Optional.of("target refused: " + refused.get());
        }
        long timestamp = clock.instant().getEpochSecond();
        HttpRequest request = HttpRequest.newBuilder(URI.create(event.url()))
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header("User-Agent", "Herald-Callbacks")
                .header(WebhookSigner.ID_HEADER, event.webhookId())
                .header(WebhookSigner.TIMESTAMP_HEADER, Long.toString(timestamp))
                .header(WebhookSigner.SIGNATURE_HEADER, signer.sign(event.webhookId(), timestamp, event.body()))
                .POST(HttpRequest.BodyPublishers.ofString(event.body()))
                .build();
        try {
            HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
            int code = response.statusCode();
            if (code >= 200 && code < 300) {
                return Optional.empty();
            }
            if (code >= 300 && code < 400) {
                return Optional.of("HTTP " + code + " (redirects are not followed)");
            }
            return Optional.of("HTTP " + code);
        } catch (IOException e) {
            return Optional.of(scrubbed(e, event.url()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted: the pipeline is stopping");
        }
    }

    /** An I/O error's words, unless they repeat the URL (which may hold a token). */
    private static String scrubbed(IOException e, String url) {
        String message = e.getMessage();
        URI uri = URI.create(url);
        boolean leaks = message != null
                && (message.contains(url)
                        || (uri.getRawQuery() != null && message.contains(uri.getRawQuery()))
                        || (uri.getRawPath() != null
                                && uri.getRawPath().length() > 1
                                && message.contains(uri.getRawPath())));
        String kind = e.getClass().getSimpleName();
        return message == null || message.isBlank() || leaks ? kind : kind + ": " + message;
    }

    private void giveUp(Message message, CallbackEvent event, int attempts, String reason) {
        log.warn(
                "callback {} of message {} given up after {} attempts to {}: {}",
                event.webhookId(),
                event.messageId(),
                attempts,
                CallbackTargets.shown(event.url()),
                reason);
        if (status != null) {
            try {
                status.recordCallbackGivenUp(
                        event.messageId(),
                        "the '" + event.state() + "' callback was given up at " + clock.instant() + " after " + attempts
                                + " attempts: " + reason);
            } catch (RuntimeException e) {
                log.warn("callback failure of {} not noted on its status: {}", event.messageId(), e.getMessage());
            }
        }
        // Counted once noted, so whoever sees the count can read the note.
        givenUp.increment();
        delete(message, event);
    }

    private void delete(Message message, CallbackEvent event) {
        try {
            sqs.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(message.receiptHandle()));
        } catch (SdkException e) {
            // It comes back and is posted again: the receiver de-duplicates by webhook-id.
            log.warn("callback {} could not be deleted from its queue: {}", event, e.getMessage());
        }
    }

    /** Stops receiving; posts under way finish within their timeout or are cut off. */
    @Override
    public void close() {
        stopping = true;
        Thread r;
        synchronized (this) {
            r = reader;
        }
        if (r != null) {
            r.interrupt();
            try {
                r.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        http.close();
    }
}
