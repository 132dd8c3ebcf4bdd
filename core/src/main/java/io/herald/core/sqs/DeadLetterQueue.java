package io.herald.core.sqs;

import io.herald.core.envelope.Envelope;
import io.herald.core.envelope.EnvelopeCodec;
import io.herald.core.envelope.MalformedEnvelopeException;
import io.herald.core.status.DeliveryState;
import io.herald.core.status.StatusStore;
import io.herald.core.status.StatusUpdate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResultEntry;

/**
 * Looks into the dead-letter queues of the configured queues and moves messages back.
 *
 * <p>SQS has no "peek": a message can only be read by receiving it, which hides it for a while. Listing therefore
 * receives each dead-letter queue with a {@code hold} (a visibility timeout long enough to walk the whole queue, so no
 * message is counted twice) and then makes every message visible again at once; it never deletes. A crash in between
 * loses nothing either: the messages reappear when the hold runs out. While a listing runs, the messages it holds are
 * hidden from other readers of the dead-letter queue (another listing, a redrive).
 *
 * <p>Redrive sends each selected message back to its queue as a new message (so SQS's receive count starts again at 0)
 * and only then deletes it from the dead-letter queue: a crash between the two duplicates a message but never loses
 * one. Its status starts over as queued (recorded before the send, as producers do), so the status table follows its
 * new attempts.
 */
public final class DeadLetterQueue {

    private static final Logger log = LoggerFactory.getLogger(DeadLetterQueue.class);

    /** What a message moved by SQS's own redrive policy (too many receives) says: Herald recorded nothing. */
    public static final String NO_REASON = "moved by SQS after too many receives (no reason recorded)";

    /** Long enough to walk a dead-letter queue of many thousand messages before the first comes round again. */
    public static final Duration DEFAULT_HOLD = Duration.ofMinutes(2);

    private static final int BATCH = 10;

    private final SqsClient sqs;
    private final List<QueueRef> queues;
    private final EnvelopeCodec codec;
    private final StatusStore status;
    private final Clock clock;
    private final Duration hold;
    private final int waitSeconds;

    /**
     * @param status where redriven messages start over as queued; null to leave statuses alone
     * @param hold how long a listing or redrive keeps the messages it has read hidden at most
     * @param wait long-poll wait of each receive; above 0 SQS asks all its servers, so an empty answer means the queue
     *     is empty (a short poll samples only some of them)
     */
    public DeadLetterQueue(
            SqsClient sqs,
            List<QueueRef> queues,
            EnvelopeCodec codec,
            StatusStore status,
            Clock clock,
            Duration hold,
            Duration wait) {
        this.sqs = sqs;
        this.queues = List.copyOf(queues);
        this.codec = codec;
        this.status = status;
        this.clock = clock;
        this.hold = hold;
        this.waitSeconds = (int) Math.min(20, Math.max(0, wait.toSeconds()));
    }

    /** For reading only (list, show): a redrive through it leaves statuses alone. */
    public DeadLetterQueue(SqsClient sqs, List<QueueRef> queues, EnvelopeCodec codec, Duration hold, Duration wait) {
        this(sqs, queues, codec, null, Clock.systemUTC(), hold, wait);
    }

    /** With the default hold and a 1 s long poll. */
    public DeadLetterQueue(SqsClient sqs, List<QueueRef> queues, StatusStore status) {
        this(sqs, queues, new EnvelopeCodec(), status, Clock.systemUTC(), DEFAULT_HOLD, Duration.ofSeconds(1));
    }

    /**
     * The dead-lettered messages the filter selects, oldest first, at most {@code limit}; every message read is visible
     * again when this returns.
     */
    public List<DeadLetter> list(DeadLetterFilter filter, int limit) {
        List<DeadLetter> found = new ArrayList<>();
        for (QueueRef queue : queues) {
            try (Walk walk = new Walk(queue)) {
                while (found.size() < limit) {
                    List<Message> batch = walk.next();
                    if (batch.isEmpty()) {
                        break;
                    }
                    batch.stream()
                            .map(m -> read(queue, m))
                            .filter(filter::matches)
                            .limit(limit - found.size())
                            .forEach(found::add);
                }
            }
        }
        found.sort(Comparator.comparing(DeadLetter::deadLetteredAt));
        return found;
    }

    /** The dead-lettered message with this envelope id or SQS message id; it stays where it is. */
    public Optional<DeadLetter> show(String id) {
        for (QueueRef queue : queues) {
            try (Walk walk = new Walk(queue)) {
                for (List<Message> batch = walk.next(); !batch.isEmpty(); batch = walk.next()) {
                    Optional<DeadLetter> match = batch.stream()
                            .map(m -> read(queue, m))
                            .filter(l -> l.isNamedBy(id))
                            .findFirst();
                    if (match.isPresent()) {
                        return match;
                    }
                }
            }
        }
        return Optional.empty();
    }

    /** How many messages wait in the dead-letter queues, as SQS estimates it (for progress). */
    public long approximateTotal() {
        return QueueStats.deadLettersWaiting(sqs, queues);
    }

    /**
     * Moves the messages the filter selects back to their queues, 10 per request; what it does not move is visible in
     * the dead-letter queue again when this returns.
     *
     * <p>Each message is moved at most once per run: one that comes back to the dead-letter queue while the run goes on
     * (the pipeline failed it again at once, say) is left there and counted as {@link RedriveResult#returned()}, or a
     * redrive beside a running pipeline could go round for ever.
     *
     * @param progress told the running totals after every batch
     */
    public RedriveResult redrive(DeadLetterFilter filter, boolean dryRun, Consumer<RedriveResult> progress) {
        RedriveResult totals = new RedriveResult(0, 0, 0, 0, 0, 0, dryRun);
        Set<String> moved = new HashSet<>();
        for (QueueRef queue : queues) {
            try (Walk walk = new Walk(queue)) {
                for (List<Message> batch = walk.next(); !batch.isEmpty(); batch = walk.next()) {
                    List<Message> selected = new ArrayList<>();
                    int returned = 0;
                    for (Message message : batch) {
                        DeadLetter letter = read(queue, message);
                        if (!filter.matches(letter)) {
                            continue;
                        }
                        if (moved.contains(identity(letter))) {
                            returned++;
                        } else {
                            selected.add(message);
                        }
                    }
                    RedriveResult step = dryRun
                            ? new RedriveResult(batch.size(), selected.size(), 0, 0, 0, 0, true)
                            : moveBack(walk, selected, moved);
                    totals = new RedriveResult(
                            totals.examined() + batch.size(),
                            totals.matched() + step.matched(),
                            totals.moved() + step.moved(),
                            totals.failed() + step.failed(),
                            totals.doubled() + step.doubled(),
                            totals.returned() + returned,
                            dryRun);
                    progress.accept(totals);
                }
            }
        }
        return totals;
    }

    /** What makes two copies of a message the same message: its envelope id, else its body. */
    private static String identity(DeadLetter letter) {
        return letter.envelopeId() != null ? "id:" + letter.envelopeId() : "body:" + letter.body();
    }

    /** Sends the batch to its queue, then deletes from the dead-letter queue what was sent. */
    private RedriveResult moveBack(Walk walk, List<Message> selected, Set<String> moved) {
        if (selected.isEmpty()) {
            return new RedriveResult(0, 0, 0, 0, 0, 0, false);
        }
        QueueRef queue = walk.queue;
        List<DeadLetter> letters = selected.stream().map(m -> read(queue, m)).toList();
        Instant now = clock.instant();
        resetStatus(letters.stream()
                .filter(l -> l.envelopeId() != null)
                .map(l -> new StatusUpdate(l.envelopeId(), new DeliveryState.Queued(), now))
                .toList());
        List<SendMessageBatchRequestEntry> sends = new ArrayList<>();
        for (int i = 0; i < selected.size(); i++) {
            // Only the body goes back: Herald's dead-letter attributes would be stale on a fresh attempt.
            sends.add(SendMessageBatchRequestEntry.builder()
                    .id(Integer.toString(i))
                    .messageBody(selected.get(i).body())
                    .build());
        }
        List<SendMessageBatchResultEntry> sent = sqs.sendMessageBatch(
                        b -> b.queueUrl(queue.url()).entries(sends))
                .successful();
        List<DeleteMessageBatchRequestEntry> deletes = new ArrayList<>();
        Set<Integer> sentIndexes = new HashSet<>();
        for (SendMessageBatchResultEntry ok : sent) {
            int index = Integer.parseInt(ok.id());
            sentIndexes.add(index);
            Message message = selected.get(index);
            moved.add(identity(letters.get(index)));
            deletes.add(DeleteMessageBatchRequestEntry.builder()
                    .id(ok.id())
                    .receiptHandle(message.receiptHandle())
                    .build());
        }
        // What SQS refused stays dead-lettered, and its status says so again.
        resetStatus(java.util.stream.IntStream.range(0, letters.size())
                .filter(i -> !sentIndexes.contains(i) && letters.get(i).envelopeId() != null)
                .mapToObj(i -> new StatusUpdate(
                        letters.get(i).envelopeId(),
                        new DeliveryState.DeadLettered(letters.get(i).reason()),
                        clock.instant()))
                .toList());
        int doubled = 0;
        if (!deletes.isEmpty()) {
            Set<String> failed = new HashSet<>();
            sqs.deleteMessageBatch(b -> b.queueUrl(queue.deadLetterUrl()).entries(deletes))
                    .failed()
                    .forEach(f -> failed.add(f.id()));
            doubled = failed.size();
            // Deleted messages are gone; the rest (refused sends, failed deletes) are released with the walk.
            deletes.stream()
                    .filter(d -> !failed.contains(d.id()))
                    .forEach(d -> walk.deleted(selected.get(Integer.parseInt(d.id()))));
        }
        return new RedriveResult(
                selected.size(),
                selected.size(),
                sent.size() - doubled,
                selected.size() - sent.size(),
                doubled,
                0,
                false);
    }

    /** Status is for people asking: a status store that fails costs a warning, never a redrive. */
    private void resetStatus(List<StatusUpdate> updates) {
        if (status == null || updates.isEmpty()) {
            return;
        }
        try {
            status.reopen(updates);
        } catch (RuntimeException e) {
            log.warn("the status of {} redriven message(s) was not reset: {}", updates.size(), e.getMessage());
        }
    }

    /**
     * One pass over a dead-letter queue: receives batch by batch, holding what it receives, and on close makes
     * everything it still holds visible again at once, with each message's newest receipt handle (a message received
     * twice has two, and only the newest is valid).
     */
    private final class Walk implements AutoCloseable {

        private final QueueRef queue;
        private final Map<String, Message> held = new LinkedHashMap<>();

        Walk(QueueRef queue) {
            this.queue = queue;
        }

        /**
         * The next messages not seen before in this walk; empty when the queue is empty or only messages already seen
         * come back (the hold ran out).
         */
        List<Message> next() {
            List<Message> batch = sqs.receiveMessage(b -> b.queueUrl(queue.deadLetterUrl())
                            .maxNumberOfMessages(BATCH)
                            .visibilityTimeout((int) hold.toSeconds())
                            .waitTimeSeconds(waitSeconds)
                            .messageSystemAttributeNames(MessageSystemAttributeName.SENT_TIMESTAMP)
                            .messageAttributeNames("All"))
                    .messages();
            List<Message> fresh = new ArrayList<>();
            for (Message message : batch) {
                if (held.put(message.messageId(), message) == null) {
                    fresh.add(message);
                }
            }
            return fresh;
        }

        /** The message was deleted: nothing to release. */
        void deleted(Message message) {
            held.remove(message.messageId());
        }

        @Override
        public void close() {
            List<Message> all = new ArrayList<>(held.values());
            for (int from = 0; from < all.size(); from += BATCH) {
                List<Message> slice = all.subList(from, Math.min(all.size(), from + BATCH));
                List<ChangeMessageVisibilityBatchRequestEntry> entries = new ArrayList<>();
                for (int i = 0; i < slice.size(); i++) {
                    entries.add(ChangeMessageVisibilityBatchRequestEntry.builder()
                            .id(Integer.toString(i))
                            .receiptHandle(slice.get(i).receiptHandle())
                            .visibilityTimeout(0)
                            .build());
                }
                // A release SQS refuses is no loss: that message reappears when the hold runs out.
                sqs.changeMessageVisibilityBatch(
                        b -> b.queueUrl(queue.deadLetterUrl()).entries(entries));
            }
        }
    }

    private DeadLetter read(QueueRef queue, Message message) {
        String envelopeId = null;
        String channel = null;
        String target = null;
        try {
            Envelope envelope = codec.decode(message.body());
            envelopeId = envelope.id();
            channel = envelope.channel();
            target = envelope.target();
        } catch (MalformedEnvelopeException e) {
            // Shown as it is: the reason says why it could not be read.
        }
        String reason = MessageAttributes.reason(message).orElse(NO_REASON);
        return new DeadLetter(
                message.messageId(),
                envelopeId,
                channel,
                target,
                MessageAttributes.provider(message).orElse(null),
                reason,
                queue.name(),
                queue.deadLetterName(),
                MessageAttributes.deadLetteredAt(message),
                message.body());
    }
}
