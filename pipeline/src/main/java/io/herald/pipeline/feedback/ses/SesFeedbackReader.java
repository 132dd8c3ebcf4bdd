package io.herald.pipeline.feedback.ses;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.core.config.ConfigException;
import io.herald.core.config.ConfigLoader;
import io.herald.core.config.HeraldConfig;
import io.herald.core.feedback.FeedbackEvent;
import io.herald.core.feedback.FeedbackSink;
import io.herald.core.feedback.FeedbackStoreException;
import io.herald.core.retry.Backoff;
import io.herald.core.retry.Sleeps;
import io.herald.core.sqs.MessageAttributes;
import io.herald.core.sqs.QueueRef;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

/**
 * Reads SES's feedback from its SQS queue: each message is an SNS envelope around one SES event record. A message is
 * deleted once its events are recorded (or its event type is one Herald does not record); one that can never be
 * recorded (unsigned, badly signed, from another topic, unparsable) is copied to the queue's dead-letter queue with its
 * reason (the attributes of {@link MessageAttributes#deadLettered}) and deleted; one whose events could not be stored
 * now, or whose signing certificate could not be fetched, is left for SQS to deliver again after its visibility
 * timeout.
 *
 * <p>One virtual thread long-polls (up to 10 messages, {@code pipeline.receiveWait}) and deletes in batches; feedback
 * is a trickle beside the work queues, so it needs none of their reader scaling. SQS errors pause it with Herald's
 * {@link Backoff}. Stopping lets a long poll in progress finish and handles what it brought.
 */
public final class SesFeedbackReader implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SesFeedbackReader.class);
    private static final Backoff ERROR_PAUSES = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(30));
    private static final Duration CERTIFICATE_TIMEOUT = Duration.ofSeconds(10);

    private final SqsClient sqs;
    private final QueueRef queue;
    private final FeedbackSink sink;
    private final Clock clock;
    private final int waitSeconds;
    private final HttpClient http;
    private final ObjectMapper json = new ObjectMapper();
    private final SnsSignatureVerifier verifier;
    private final SesEventParser parser = new SesEventParser(json);
    private final MeterRegistry meters;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private volatile boolean stopping;
    private Thread thread;

    /** What became of one message. */
    sealed interface Handling {
        /** Its events were recorded: delete it. */
        record Recorded(int events) implements Handling {}

        /** An event type Herald does not record: delete it. */
        record Ignored(String eventType) implements Handling {}

        /** It can never be recorded: copy it to the dead-letter queue with the reason, then delete it. */
        record SetAside(String reason) implements Handling {}

        /** Not now: leave it to come back after its visibility timeout. */
        record Left(String why) implements Handling {}
    }

    /**
     * @param http the client signing certificates are fetched with; it is closed with the reader
     * @param receiveWait the long poll's wait (0s–20s)
     */
    SesFeedbackReader(
            SqsClient sqs,
            QueueRef queue,
            HeraldConfig.Feedback.SesFeedback config,
            FeedbackSink sink,
            MeterRegistry meters,
            Clock clock,
            Duration receiveWait,
            HttpClient http) {
        this.sqs = sqs;
        this.queue = queue;
        this.sink = sink;
        this.meters = meters;
        this.clock = clock;
        this.waitSeconds = (int) Math.min(20, receiveWait.toSeconds());
        this.http = http;
        this.verifier = new SnsSignatureVerifier(
                config.topicArn(),
                new SnsSigningCertificates(http, Pattern.compile(config.certificateHosts()), CERTIFICATE_TIMEOUT));
    }

    /**
     * The reader {@code feedback.ses} configures, on the feedback queue and its dead-letter queue, which must exist (in
     * AWS the CDK stack creates them); not started.
     *
     * @throws ConfigException naming each queue that does not exist
     */
    public static SesFeedbackReader open(SqsClient sqs, HeraldConfig config, FeedbackSink sink, MeterRegistry meters) {
        HeraldConfig.Feedback.SesFeedback ses = config.feedback().ses();
        String name = ses.queue();
        String deadLetterName = name + config.sqs().deadLetterSuffix();
        List<String> missing = new ArrayList<>();
        String url = urlOf(sqs, name, missing);
        String deadLetterUrl = urlOf(sqs, deadLetterName, missing);
        if (!missing.isEmpty()) {
            throw new ConfigException(missing.stream()
                    .map(q -> "feedback.ses.queue (" + ConfigLoader.environmentVariable("feedback.ses.queue")
                            + "): queue '" + q + "' does not exist; create it (the CDK stack does) or fix the name")
                    .toList());
        }
        // SNS's certificate URLs never redirect; following one could lead off SNS's hosts.
        HttpClient http = HttpClient.newBuilder()
                .connectTimeout(CERTIFICATE_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        return new SesFeedbackReader(
                sqs,
                new QueueRef(name, url, deadLetterUrl),
                ses,
                sink,
                meters,
                Clock.systemUTC(),
                config.pipeline().receiveWait(),
                http);
    }

    private static String urlOf(SqsClient sqs, String name, List<String> missing) {
        try {
            return sqs.getQueueUrl(b -> b.queueName(name)).queueUrl();
        } catch (QueueDoesNotExistException e) {
            missing.add(name);
            return null;
        }
    }

    /** Starts reading on a virtual thread of its own. */
    public synchronized void start() {
        if (thread == null) {
            thread = Thread.ofVirtual().name("herald-feedback-ses").start(this::run);
        }
    }

    private void run() {
        int failures = 0;
        while (!stopping) {
            try {
                List<Message> messages = sqs.receiveMessage(b ->
                                b.queueUrl(queue.url()).maxNumberOfMessages(10).waitTimeSeconds(waitSeconds))
                        .messages();
                failures = 0;
                settle(messages);
            } catch (SdkException e) {
                if (stopping) {
                    return;
                }
                Duration pause = ERROR_PAUSES.step(++failures);
                log.warn(
                        "reading SES feedback from {} failed, trying again in {}: {}",
                        queue.name(),
                        pause,
                        e.getMessage());
                if (!Sleeps.quietly(pause)) {
                    return;
                }
            }
        }
    }

    /** Handles each message, then deletes in one batch those that are done with. */
    void settle(List<Message> messages) {
        List<DeleteMessageBatchRequestEntry> done = new ArrayList<>();
        for (Message message : messages) {
            Handling handling = handle(message);
            boolean delete = switch (handling) {
                case Handling.Recorded r -> true;
                case Handling.Ignored i -> {
                    counter(
                                    "herald.feedback.ignored",
                                    "eventType",
                                    i.eventType(),
                                    "SES feedback events of a type Herald does not record")
                            .increment();
                    yield true;
                }
                case Handling.SetAside s -> setAside(message, s.reason());
                case Handling.Left l -> {
                    log.warn("SES feedback {} left for redelivery: {}", message.messageId(), l.why());
                    yield false;
                }
            };
            counter(
                            "herald.feedback.messages",
                            "outcome",
                            outcome(handling),
                            "SES feedback messages read, by what became of them")
                    .increment();
            if (delete) {
                done.add(DeleteMessageBatchRequestEntry.builder()
                        .id(Integer.toString(done.size()))
                        .receiptHandle(message.receiptHandle())
                        .build());
            }
        }
        if (!done.isEmpty()) {
            // A failed delete only means the message comes back: recording it again changes nothing.
            var failed = sqs.deleteMessageBatch(b -> b.queueUrl(queue.url()).entries(done))
                    .failed();
            failed.forEach(f -> log.warn("deleting SES feedback from {} failed: {}", queue.name(), f.message()));
        }
    }

    Handling handle(Message message) {
        try {
            SnsEnvelope envelope = SnsEnvelope.parse(message.body(), json);
            verifier.verify(envelope);
            return switch (parser.parse(envelope.message(), envelope.messageId())) {
                case SesEvents.Ignored ignored -> new Handling.Ignored(ignored.eventType());
                case SesEvents.Parsed parsed -> {
                    for (FeedbackEvent event : parsed.events()) {
                        sink.accept(event);
                    }
                    yield new Handling.Recorded(parsed.events().size());
                }
            };
        } catch (UnusableFeedback e) {
            return new Handling.SetAside(e.getMessage());
        } catch (IOException e) {
            return new Handling.Left("the SNS signing certificate could not be fetched: " + e.getMessage());
        } catch (FeedbackStoreException e) {
            return new Handling.Left("feedback could not be stored: " + e.getMessage());
        } catch (RuntimeException e) {
            // A fault of ours must not lose feedback: SQS's redrive policy sets it aside after maxReceiveCount.
            log.error("recording SES feedback {} failed", message.messageId(), e);
            return new Handling.Left(e.getClass().getSimpleName());
        }
    }

    private static String outcome(Handling handling) {
        return switch (handling) {
            case Handling.Recorded r -> "recorded";
            case Handling.Ignored i -> "ignored";
            case Handling.SetAside s -> "dead_lettered";
            case Handling.Left l -> "left";
        };
    }

    /** @return whether the copy reached the dead-letter queue (only then may the original be deleted) */
    private boolean setAside(Message message, String reason) {
        try {
            sqs.sendMessage(b -> b.queueUrl(queue.deadLetterUrl())
                    .messageBody(message.body())
                    .messageAttributes(MessageAttributes.deadLettered(reason, queue.name(), clock.instant(), null)));
            log.warn("SES feedback {} set aside in {}: {}", message.messageId(), queue.deadLetterName(), reason);
            return true;
        } catch (SdkException e) {
            log.warn("cannot set SES feedback {} aside (it comes back): {}", message.messageId(), e.getMessage());
            return false;
        }
    }

    private Counter counter(String name, String tag, String value, String description) {
        return counters.computeIfAbsent(
                name + "|" + value,
                k -> Counter.builder(name)
                        .description(description)
                        .tag("source", "ses")
                        .tag(tag, value)
                        .register(meters));
    }

    /** Stops reading: a long poll in progress finishes (at most the receive wait) and its messages are handled. */
    @Override
    public void close() {
        stopping = true;
        Thread running;
        synchronized (this) {
            running = thread;
        }
        if (running != null) {
            try {
                running.join(Duration.ofSeconds(waitSeconds + 10L));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        http.close();
    }
}
