package io.herald.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.herald.core.control.ControlStore;
import io.herald.core.control.Pause;
import io.herald.core.control.PauseScope;
import io.herald.core.control.ProviderHealth;
import io.herald.core.control.WorkerState;
import io.herald.core.envelope.EnvelopeCodec;
import io.herald.core.feedback.FeedbackDailyCounts;
import io.herald.core.sqs.DeadLetter;
import io.herald.core.sqs.DeadLetterFilter;
import io.herald.core.sqs.DeadLetterQueue;
import io.herald.core.sqs.QueueRef;
import io.herald.core.sqs.QueueStats;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * What {@code GET /v1/admin/overview} shows, assembled from the sources that hold it: queue depths and oldest ages
 * ({@link QueueStats}: GetQueueAttributes per queue and dead-letter queue, the pipelines' queue-age reports, a peek at
 * each dead-letter queue SQS counts messages waiting in), pauses and every pipeline instance's provider health from the
 * {@link ControlStore}, the receivers this API instance refused ({@link RecentRejections}), and the newest dead letters
 * read from the dead-letter queues.
 *
 * <p>Several dashboards polling every two seconds must not multiply the cost: a snapshot younger than {@code fresh} is
 * served again, and the dead-letter queues, which can only be read by receiving (and so briefly hiding) their messages,
 * are read only when SQS counts messages in them and at most every {@code deadLetterEvery}.
 */
final class OperationsOverview {

    /** Days of feedback counts the rates cover: today and yesterday (UTC), so a rate never starts from zero. */
    static final int FEEDBACK_DAYS = 2;
    /** How far back the chart's history goes. */
    static final Duration HISTORY = Duration.ofHours(1);
    /** Samples kept per {@link #HISTORY}: one per dashboard poll interval at most. */
    static final Duration HISTORY_EVERY = Duration.ofSeconds(2);
    /** Dead letters and rejections shown: the newest this many. */
    static final int RECENT = 10;
    /** Dead letters read per refresh, to find the newest among them. */
    private static final int DEAD_LETTERS_READ = 50;
    /** Long enough to read 50 messages; they are made visible again right after. */
    private static final Duration DEAD_LETTER_HOLD = Duration.ofSeconds(30);

    record Snapshot(
            String generatedAt,
            List<QueueEntry> queues,
            List<PoolEntry> pools,
            List<PausesHandler.PauseView> pauses,
            Recent recent,
            List<FeedbackRateEntry> feedbackRates) {}

    /**
     * One sender domain's feedback over {@link #FEEDBACK_DAYS} UTC days (today and yesterday): the counts and the two
     * rates the alerts watch (ops/prometheus/herald-alerts.yml), null while there is nothing to divide by.
     *
     * @param bounceRate hard bounces / (deliveries + hard bounces)
     * @param complaintRate complaints / deliveries
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record FeedbackRateEntry(
            String senderDomain,
            long delivered,
            long hardBounces,
            long softBounces,
            long complaints,
            Double bounceRate,
            Double complaintRate) {

        static FeedbackRateEntry of(FeedbackDailyCounts.DomainCounts c) {
            long delivered = c.count("delivery");
            long hard = c.count("hard_bounce");
            long complaints = c.count("complaint");
            return new FeedbackRateEntry(
                    c.senderDomain(),
                    delivered,
                    hard,
                    c.count("soft_bounce"),
                    complaints,
                    delivered + hard == 0 ? null : (double) hard / (delivered + hard),
                    delivered == 0 ? null : (double) complaints / delivered);
        }
    }

    /**
     * @param channel null: Herald's queues carry every channel
     * @param oldestAgeFrom {@link QueueStats.AgeFrom#label()}: where the age came from, or why it is null
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record QueueEntry(
            String channel,
            String queue,
            long depth,
            long inFlight,
            long delayed,
            Long oldestAgeSeconds,
            String oldestAgeFrom,
            DeadLetterQueueEntry deadLetter) {}

    @JsonInclude(JsonInclude.Include.ALWAYS)
    record DeadLetterQueueEntry(String queue, long depth, Long oldestAgeSeconds, String oldestAgeFrom) {}

    record PoolEntry(String channel, boolean paused, List<WorkerEntry> workers) {}

    /**
     * @param lastError the newest report's latest provider failure (providers redact secrets), or null
     * @param unhealthySince the earliest time an instance still reporting it unhealthy saw it turn so, or null
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record WorkerEntry(
            String provider,
            String state,
            boolean paused,
            long delivered,
            long failed,
            long probes,
            int instances,
            String updatedAt,
            String lastError,
            String unhealthySince) {}

    /** Each provider's cumulative deliveries as one snapshot saw them, for the chart's history. */
    record HistorySample(String at, Map<String, ProviderCount> providers) {}

    /** @param at when the count was reported (the newest of the instances' reports summed) */
    record ProviderCount(long delivered, String at) {}

    record History(long windowSeconds, List<HistorySample> samples) {}

    record Recent(List<RejectionEntry> rejections, List<DeadLetterEntry> deadLetters) {}

    @JsonInclude(JsonInclude.Include.ALWAYS)
    record RejectionEntry(String at, String id, String channel, String receiver, String reason) {}

    @JsonInclude(JsonInclude.Include.ALWAYS)
    record DeadLetterEntry(String at, String id, String channel, String reason) {}

    private final SqsClient sqs;
    private final List<QueueRef> queues;
    private final ControlStore control;
    private final RecentRejections rejections;
    private final Clock clock;
    private final Duration fresh;
    private final Duration deadLetterEvery;
    private final EnvelopeCodec codec = new EnvelopeCodec();

    private final java.util.ArrayDeque<HistorySample> history = new java.util.ArrayDeque<>();
    private Instant historyAt = Instant.MIN;
    private Snapshot last;
    private Instant lastAt = Instant.MIN;
    private List<DeadLetterEntry> deadLetters = List.of();
    private Instant deadLettersAt = Instant.MIN;
    /** Null: the API was built without the status table's feedback counts, and the overview shows no rates. */
    private final FeedbackDailyCounts feedbackCounts;

    OperationsOverview(
            SqsClient sqs,
            List<QueueRef> queues,
            ControlStore control,
            RecentRejections rejections,
            Clock clock,
            Duration fresh,
            Duration deadLetterEvery,
            FeedbackDailyCounts feedbackCounts) {
        this.feedbackCounts = feedbackCounts;
        this.sqs = sqs;
        this.queues = List.copyOf(queues);
        this.control = control;
        this.rejections = rejections;
        this.clock = clock;
        this.fresh = fresh;
        this.deadLetterEvery = deadLetterEvery;
    }

    /** @throws RuntimeException when SQS or the control store cannot be read (the caller answers 503) */
    synchronized Snapshot snapshot() {
        Instant now = clock.instant();
        if (last != null && now.isBefore(lastAt.plus(fresh))) {
            return last;
        }
        List<QueueStats> stats = QueueStats.of(sqs, queues, control.queueAges(), now);
        List<Pause> pauses = control.pauses();
        List<ProviderHealth> health = control.health();
        Snapshot snapshot = new Snapshot(
                now.toString(),
                queueEntries(stats),
                pools(health, pauses),
                pauses.stream().map(PausesHandler.PauseView::of).toList(),
                new Recent(
                        rejections.newestFirst().stream()
                                .limit(RECENT)
                                .map(r -> new RejectionEntry(
                                        r.at().toString(), null, r.channel(), r.receiver(), r.reason()))
                                .toList(),
                        deadLetters(stats, now)),
                feedbackRates());
        last = snapshot;
        lastAt = now;
        remember(snapshot, now);
        return snapshot;
    }

    private List<FeedbackRateEntry> feedbackRates() {
        if (feedbackCounts == null) {
            return List.of();
        }
        return feedbackCounts.read(FEEDBACK_DAYS).stream()
                .map(FeedbackRateEntry::of)
                .toList();
    }

    /**
     * The chart's history: the samples of the last {@link #HISTORY}, oldest first. Kept from the snapshots dashboards
     * asked for, so it covers the time some dashboard was open.
     */
    synchronized History history() {
        return new History(HISTORY.toSeconds(), List.copyOf(history));
    }

    /** At most one sample per {@link #HISTORY_EVERY}, none older than {@link #HISTORY}: bounded however polled. */
    private void remember(Snapshot snapshot, Instant now) {
        if (now.isBefore(historyAt.plus(HISTORY_EVERY))) {
            return;
        }
        Map<String, ProviderCount> counts = new java.util.TreeMap<>();
        for (PoolEntry pool : snapshot.pools()) {
            for (WorkerEntry w : pool.workers()) {
                counts.merge(
                        w.provider(),
                        new ProviderCount(w.delivered(), w.updatedAt()),
                        (a, b) -> new ProviderCount(
                                a.delivered() + b.delivered(), a.at().compareTo(b.at()) >= 0 ? a.at() : b.at()));
            }
        }
        history.addLast(new HistorySample(snapshot.generatedAt(), counts));
        historyAt = now;
        Instant oldest = now.minus(HISTORY);
        while (!history.isEmpty() && Instant.parse(history.peekFirst().at()).isBefore(oldest)) {
            history.removeFirst();
        }
        while (history.size() > HISTORY.dividedBy(HISTORY_EVERY)) {
            history.removeFirst();
        }
    }

    private static List<QueueEntry> queueEntries(List<QueueStats> stats) {
        return stats.stream()
                .map(s -> new QueueEntry(
                        null,
                        s.queue().name(),
                        s.queue().depth(),
                        s.queue().inFlight(),
                        s.queue().delayed(),
                        s.queue().oldestAgeSeconds(),
                        s.queue().oldestAgeFrom().label(),
                        new DeadLetterQueueEntry(
                                s.deadLetter().name(),
                                s.deadLetter().depth() + s.deadLetter().inFlight(),
                                s.deadLetter().oldestAgeSeconds(),
                                s.deadLetter().oldestAgeFrom().label())))
                .toList();
    }

    /**
     * One pool per channel any instance reported, one worker per provider: counters summed over the instances' latest
     * reports, the state of the newest report (instances share health, so they agree but for the moment a change takes
     * to spread), and paused when its provider or its channel is.
     */
    static List<PoolEntry> pools(List<ProviderHealth> health, List<Pause> pauses) {
        Set<PauseScope> paused = pauses.stream().map(Pause::scope).collect(Collectors.toSet());
        Map<String, Map<String, List<ProviderHealth>>> byChannel = new LinkedHashMap<>();
        health.stream()
                .sorted(Comparator.comparing(ProviderHealth::channel).thenComparing(ProviderHealth::provider))
                .forEach(h -> byChannel
                        .computeIfAbsent(h.channel(), c -> new LinkedHashMap<>())
                        .computeIfAbsent(h.provider(), p -> new ArrayList<>())
                        .add(h));
        List<PoolEntry> pools = new ArrayList<>();
        byChannel.forEach((channel, providers) -> {
            boolean channelPaused = paused.contains(PauseScope.channel(channel));
            List<WorkerEntry> workers = new ArrayList<>();
            providers.forEach((provider, reports) -> {
                ProviderHealth newest = reports.stream()
                        .max(Comparator.comparing(ProviderHealth::updatedAt))
                        .orElseThrow();
                boolean workerPaused = channelPaused
                        || paused.contains(PauseScope.provider(provider))
                        || newest.state() == WorkerState.PAUSED;
                workers.add(new WorkerEntry(
                        provider,
                        workerPaused ? "paused" : newest.state().name().toLowerCase(Locale.ROOT),
                        workerPaused,
                        reports.stream().mapToLong(ProviderHealth::delivered).sum(),
                        reports.stream().mapToLong(ProviderHealth::failed).sum(),
                        reports.stream().mapToLong(ProviderHealth::probes).sum(),
                        reports.size(),
                        newest.updatedAt().toString(),
                        lastError(reports),
                        newest.state() == WorkerState.HEALTHY ? null : unhealthySince(reports)));
            });
            pools.add(new PoolEntry(channel, channelPaused, workers));
        });
        return pools;
    }

    /** The earliest time an instance still reporting it unhealthy saw it turn so, or null. */
    private static String unhealthySince(List<ProviderHealth> reports) {
        return reports.stream()
                .map(ProviderHealth::unhealthySince)
                .filter(java.util.Objects::nonNull)
                .min(Comparator.naturalOrder())
                .map(Instant::toString)
                .orElse(null);
    }

    /** The error of the newest report that has one: instances share health, so they fail alike. */
    private static String lastError(List<ProviderHealth> reports) {
        return reports.stream()
                .filter(r -> r.lastError() != null)
                .max(Comparator.comparing(ProviderHealth::updatedAt))
                .map(ProviderHealth::lastError)
                .orElse(null);
    }

    /** The newest dead letters, read again only when some queue has any and the last read is old enough. */
    private List<DeadLetterEntry> deadLetters(List<QueueStats> stats, Instant now) {
        List<QueueRef> withDeadLetters = new ArrayList<>();
        for (int i = 0; i < queues.size(); i++) {
            QueueStats.Depth d = stats.get(i).deadLetter();
            if (d.depth() + d.inFlight() > 0) {
                withDeadLetters.add(queues.get(i));
            }
        }
        if (withDeadLetters.isEmpty()) {
            deadLetters = List.of();
        } else if (!now.isBefore(deadLettersAt.plus(deadLetterEvery))) {
            // A short poll (wait 0): this is a glimpse for a dashboard, not an inventory.
            List<DeadLetter> read = new DeadLetterQueue(sqs, withDeadLetters, codec, DEAD_LETTER_HOLD, Duration.ZERO)
                    .list(DeadLetterFilter.ALL, DEAD_LETTERS_READ);
            deadLetters = read.stream()
                    .sorted(Comparator.comparing(DeadLetter::deadLetteredAt).reversed())
                    .limit(RECENT)
                    .map(l -> new DeadLetterEntry(l.deadLetteredAt().toString(), l.id(), l.channel(), l.reason()))
                    .toList();
            deadLettersAt = now;
        }
        return deadLetters;
    }
}
