package io.herald.core.sqs;

import io.herald.core.control.QueueAge;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * How full a queue and its dead-letter queue are, and how old their oldest message is.
 *
 * <p>The counts come from SQS's GetQueueAttributes, one request per queue, approximate (SQS's counts lag by up to a
 * minute). GetQueueAttributes has no age (in AWS that is the CloudWatch metric ApproximateAgeOfOldestMessage, which
 * Herald does not read), so each kind of queue gets its age another way:
 *
 * <ul>
 *   <li>a work queue from the pipelines' {@link QueueAge} reports: the oldest SentTimestamp any live instance received
 *       from it in its last report interval, never by receiving here, because every receive counts toward the redrive
 *       policy's maxReceiveCount;
 *   <li>a dead-letter queue by a peek: one ReceiveMessage of up to 10 messages with a visibility timeout of 0 and no
 *       delete, only when SQS counts messages waiting in it. Nothing has a redrive policy on a dead-letter queue, so
 *       the receive costs its messages nothing. The age is the oldest in that sample, so approximate: a standard queue
 *       promises no order, and a longer queue may hold older messages than the 10 it answered with. A message the
 *       pipeline set aside was sent to the dead-letter queue then; one SQS's redrive policy moved keeps the
 *       SentTimestamp of its first send, so it counts from then (CloudWatch's ApproximateAgeOfOldestMessage counts from
 *       the move).
 * </ul>
 *
 * @param queue the work queue
 * @param deadLetter its dead-letter queue
 */
public record QueueStats(Depth queue, Depth deadLetter) {

    private static final List<QueueAttributeName> COUNTS = List.of(
            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED);
    private static final int PEEK = 10;
    /**
     * A long poll asks every SQS server, so a dead-letter queue of a few messages is not answered empty (a short poll
     * samples some servers); it returns as soon as a message is found.
     */
    private static final int PEEK_WAIT_SECONDS = 1;

    /**
     * @param name the queue's name
     * @param depth messages waiting to be received (ApproximateNumberOfMessages)
     * @param inFlight received and not yet deleted or released (ApproximateNumberOfMessagesNotVisible)
     * @param delayed sent with a delay that has not passed (ApproximateNumberOfMessagesDelayed)
     * @param oldestAgeSeconds how long ago the oldest message was sent (SentTimestamp), 0 when nothing waits, is
     *     delayed or is in flight, null when unknown
     * @param oldestAgeFrom where the age came from, or why it is unknown
     */
    public record Depth(
            String name, long depth, long inFlight, long delayed, Long oldestAgeSeconds, AgeFrom oldestAgeFrom) {}

    /** Where an oldest age came from; the last four leave it unknown (null). */
    public enum AgeFrom {
        /** Nothing waits, is delayed or is in flight: the age is 0. */
        EMPTY(null),
        /** The pipelines' reports of what they received (work queues). */
        PIPELINE(null),
        /** A peek at up to 10 messages (dead-letter queues). */
        SAMPLE(null),
        /** No pipeline instance reported the work queue within control.staleAfter. */
        NO_PIPELINE_REPORTING(
                "no pipeline reporting: no pipeline instance reported this queue within control.staleAfter"),
        /** Pipelines report, but none received from the work queue in its last interval. */
        NOT_RECEIVED("the pipelines received nothing from this queue lately (paused, or at pipeline.maxInFlight)"),
        /** A dead-letter queue with none of its messages visible to peek at. */
        NOT_SAMPLED("none of its messages could be peeked at (held by `herald dlq` list or redrive)"),
        /** The status table holding the pipelines' reports could not be read. */
        STORE_UNREADABLE("the status table, where pipelines report, could not be read");

        private final String unknownBecause;

        AgeFrom(String unknownBecause) {
            this.unknownBecause = unknownBecause;
        }

        /** How it is written in JSON: {@code no-pipeline-reporting}. */
        public String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        /** Why the age is unknown, for people; null when it is known. */
        public String unknownBecause() {
            return unknownBecause;
        }
    }

    /**
     * One entry per queue, in the order given: its counts, its oldest age from the reports, and its dead-letter queue's
     * counts and oldest age from a peek when SQS counts messages waiting there (so an empty one costs no receive).
     *
     * @param reports the live pipeline instances' queue-age reports; null when they could not be read (the work queues'
     *     ages are then unknown)
     * @param now what the ages are measured to
     */
    public static List<QueueStats> of(SqsClient sqs, List<QueueRef> queues, List<QueueAge> reports, Instant now) {
        return queues.stream()
                .map(q -> {
                    Counts work = counts(sqs, q.url());
                    Counts dead = counts(sqs, q.deadLetterUrl());
                    return new QueueStats(
                            work.with(q.name(), reported(work, q.name(), reports, now)),
                            dead.with(q.deadLetterName(), peeked(sqs, dead, q.deadLetterUrl(), now)));
                })
                .toList();
    }

    /**
     * The queues' dead-letter queues alone, in the order given, counted and peeked at as {@link #of} does; for the
     * pipeline's dead-letter gauges.
     */
    public static List<Depth> deadLetters(SqsClient sqs, List<QueueRef> queues, Instant now) {
        return queues.stream()
                .map(q -> {
                    Counts dead = counts(sqs, q.deadLetterUrl());
                    return dead.with(q.deadLetterName(), peeked(sqs, dead, q.deadLetterUrl(), now));
                })
                .toList();
    }

    /** Messages waiting in the queues' dead-letter queues, summed, as SQS estimates it; nothing is received. */
    public static long deadLettersWaiting(SqsClient sqs, List<QueueRef> queues) {
        return queues.stream()
                .mapToLong(q -> counts(sqs, q.deadLetterUrl()).depth())
                .sum();
    }

    private record Counts(long depth, long inFlight, long delayed) {
        /** Delayed messages count: a paused channel's messages wait as delayed copies, not as nothing. */
        boolean empty() {
            return depth + inFlight + delayed == 0;
        }

        Depth with(String name, Age age) {
            return new Depth(name, depth, inFlight, delayed, age.seconds(), age.from());
        }
    }

    private record Age(Long seconds, AgeFrom from) {
        static final Age EMPTY = new Age(0L, AgeFrom.EMPTY);

        static Age unknown(AgeFrom why) {
            return new Age(null, why);
        }

        static Age since(Instant sentAt, Instant now, AgeFrom from) {
            // SentTimestamp is SQS's clock, now is ours: a skew must not show as a negative age.
            return new Age(Math.max(0, Duration.between(sentAt, now).toSeconds()), from);
        }
    }

    private static Counts counts(SqsClient sqs, String url) {
        Map<QueueAttributeName, String> a = sqs.getQueueAttributes(
                        b -> b.queueUrl(url).attributeNames(COUNTS))
                .attributes();
        return new Counts(
                count(a, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES),
                count(a, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE),
                count(a, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED));
    }

    /**
     * The oldest SentTimestamp the live instances reported for the queue. A report covers only what its instance
     * received in one interval, so for a queue that flows the age shown can be up to two report intervals more than any
     * message really waited; for a message that keeps failing it is right, because each receive carries its first
     * SentTimestamp.
     */
    private static Age reported(Counts counts, String queue, List<QueueAge> reports, Instant now) {
        if (counts.empty()) {
            return Age.EMPTY;
        }
        if (reports == null) {
            return Age.unknown(AgeFrom.STORE_UNREADABLE);
        }
        List<QueueAge> mine =
                reports.stream().filter(r -> r.queue().equals(queue)).toList();
        if (mine.isEmpty()) {
            return Age.unknown(AgeFrom.NO_PIPELINE_REPORTING);
        }
        return mine.stream()
                .map(QueueAge::oldestSentAt)
                .filter(Objects::nonNull)
                .min(Instant::compareTo)
                .map(oldest -> Age.since(oldest, now, AgeFrom.PIPELINE))
                .orElse(Age.unknown(AgeFrom.NOT_RECEIVED));
    }

    /** A dead-letter queue's oldest by a peek, made only when SQS counts messages waiting there. */
    private static Age peeked(SqsClient sqs, Counts counts, String url, Instant now) {
        if (counts.empty()) {
            return Age.EMPTY;
        }
        if (counts.depth() == 0) {
            // All in flight (a dlq listing or redrive holds them): a receive would find nothing.
            return Age.unknown(AgeFrom.NOT_SAMPLED);
        }
        List<Message> sample = sqs.receiveMessage(b -> b.queueUrl(url)
                        .maxNumberOfMessages(PEEK)
                        .visibilityTimeout(0)
                        .waitTimeSeconds(PEEK_WAIT_SECONDS)
                        .messageSystemAttributeNames(MessageSystemAttributeName.SENT_TIMESTAMP))
                .messages();
        return sample.stream()
                .map(m -> m.attributes().get(MessageSystemAttributeName.SENT_TIMESTAMP))
                .filter(Objects::nonNull)
                .map(sent -> Instant.ofEpochMilli(Long.parseLong(sent)))
                .min(Instant::compareTo)
                .map(oldest -> Age.since(oldest, now, AgeFrom.SAMPLE))
                .orElse(Age.unknown(AgeFrom.NOT_SAMPLED));
    }

    private static long count(Map<QueueAttributeName, String> attributes, QueueAttributeName name) {
        return Long.parseLong(attributes.getOrDefault(name, "0"));
    }
}
