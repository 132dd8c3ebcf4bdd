package io.herald.pipeline;

import io.herald.core.feedback.FeedbackMeters;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * The pipeline's meters, under names an operator can graph: sends by worker and outcome, send latency, breaker state,
 * pauses, queue depth, messages in flight, messages parked because their channel is paused, control store reads,
 * breakers opened on another instance's report, and SQS requests by action (counted by an interceptor on the SQS
 * client, so they are the requests actually made, retries included).
 */
public final class PipelineMetrics {

    /**
     * Send latency buckets for notifications: a provider API answers in tens to hundreds of milliseconds, SMTP and a
     * struggling provider in seconds, and sendTimeout caps it (10 s by default, at most sqs.visibilityTimeout). 13
     * buckets instead of Micrometer's ~69 per worker.
     */
    static final Duration[] LATENCY_BUCKETS = {
        Duration.ofMillis(5),
        Duration.ofMillis(10),
        Duration.ofMillis(25),
        Duration.ofMillis(50),
        Duration.ofMillis(100),
        Duration.ofMillis(250),
        Duration.ofMillis(500),
        Duration.ofSeconds(1),
        Duration.ofMillis(2500),
        Duration.ofSeconds(5),
        Duration.ofSeconds(10),
        Duration.ofSeconds(30),
        Duration.ofSeconds(60)
    };
    /** Every outcome a send can have, as the {@code outcome} label writes it. */
    static final List<String> OUTCOMES = List.of("delivered", "retry", "rejected", "provider_down");
    /** The SQS actions the pipeline makes, counted from 0 so a rate over them exists from the first scrape. */
    static final List<String> SQS_ACTIONS = List.of(
            "GetQueueAttributes",
            "ReceiveMessage",
            "DeleteMessageBatch",
            "ChangeMessageVisibilityBatch",
            "ChangeMessageVisibility",
            "SendMessage");

    /** What becomes of a buffered status update: written to the status table, or given up on in an outage. */
    static final List<String> STATUS_OUTCOMES = List.of("written", "dropped");

    private final MeterRegistry registry;
    private final FeedbackMeters feedback;
    private final Map<String, AtomicLong> depths = new ConcurrentHashMap<>();
    private final Map<String, AtomicReference<Double>> oldestAges = new ConcurrentHashMap<>();
    /** Meters looked up once: registering on every send would search the registry each time. */
    private final Map<String, Counter> sends = new ConcurrentHashMap<>();

    private final Map<String, Timer> latencies = new ConcurrentHashMap<>();
    private final Map<String, Counter> parked = new ConcurrentHashMap<>();
    private final Map<String, Counter> paced = new ConcurrentHashMap<>();
    private final Map<String, Counter> openedByPeer = new ConcurrentHashMap<>();
    private final Counter controlReadsOk;
    private final Counter controlReadsFailed;
    private final Map<String, Counter> statusUpdates = new ConcurrentHashMap<>();
    private final Map<String, Counter> suppressed = new ConcurrentHashMap<>();
    private final Counter suppressionUnreadable;

    public PipelineMetrics(MeterRegistry registry) {
        this.registry = registry;
        SQS_ACTIONS.forEach(this::sqsRequests);
        this.controlReadsOk = controlReads("ok");
        this.controlReadsFailed = controlReads("failed");
        STATUS_OUTCOMES.forEach(this::statusUpdateCounter);
        this.feedback = new FeedbackMeters(registry);
        this.suppressionUnreadable = Counter.builder("herald.suppression.unreadable")
                .description("emails retried later because the suppression list could not be read")
                .register(registry);
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** The feedback counters (at 0 from the first scrape), for the pipeline's feedback intake to record with. */
    public FeedbackMeters feedback() {
        return feedback;
    }

    /** Give this to {@code SqsClients.create} for the client the pipeline uses. */
    public ExecutionInterceptor sqsRequestCounter() {
        return new ExecutionInterceptor() {
            @Override
            public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
                String action = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
                sqsRequests(action == null ? "unknown" : action).increment();
            }
        };
    }

    /**
     * Give this to the status table's DynamoDB client: counts its requests by action, so requests per delivered message
     * can be read off {@code herald.status.requests} and {@code herald.sends}.
     */
    public ExecutionInterceptor statusRequestCounter() {
        statusRequests("TransactWriteItems");
        return new ExecutionInterceptor() {
            @Override
            public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
                String action = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
                statusRequests(action == null ? "unknown" : action).increment();
            }
        };
    }

    private Counter statusRequests(String action) {
        return Counter.builder("herald.status.requests")
                .tag("action", action)
                .description("requests to the status table, retries included, by action")
                .register(registry);
    }

    private Counter statusUpdateCounter(String outcome) {
        return statusUpdates.computeIfAbsent(
                outcome,
                o -> Counter.builder("herald.status.updates")
                        .tag("outcome", o)
                        .description(
                                "delivery status updates written in batches, or dropped while the status table was "
                                        + "unreachable (their messages were settled all the same)")
                        .register(registry));
    }

    /** @param outcome written or dropped */
    void statusUpdates(String outcome, int count) {
        statusUpdateCounter(outcome).increment(count);
    }

    void watchStatusBuffer(Supplier<Number> waiting) {
        Gauge.builder("herald.status.buffered", waiting)
                .description("delivery status updates waiting to be written")
                .register(registry);
    }

    private Counter sqsRequests(String action) {
        return Counter.builder("herald.sqs.requests")
                .tag("action", action)
                .description("SQS requests made, retries included, by action")
                .register(registry);
    }

    private Counter controlReads(String outcome) {
        return Counter.builder("herald.control.reads")
                .tag("outcome", outcome)
                .description("reads of pauses and shared health from the status table")
                .register(registry);
    }

    /** SQS requests made so far, by action, the actions never made left out; for benchmarks and tests. */
    public Map<String, Double> sqsRequests() {
        Map<String, Double> counts = new java.util.TreeMap<>();
        registry.find("herald.sqs.requests").counters().stream()
                .filter(c -> c.count() > 0)
                .forEach(c -> counts.put(c.getId().getTag("action"), c.count()));
        return counts;
    }

    void sent(Worker worker, String outcome, Duration took) {
        sends(worker, outcome).increment();
        latency(worker).record(took);
    }

    private Counter sends(Worker worker, String outcome) {
        return sends.computeIfAbsent(
                worker.name() + "/" + outcome,
                k -> Counter.builder("herald.sends")
                        .tag("worker", worker.name())
                        .tag("channel", worker.provider().channel())
                        .tag("outcome", outcome)
                        .description("sends through a provider, by outcome")
                        .register(registry));
    }

    private Timer latency(Worker worker) {
        return latencies.computeIfAbsent(
                worker.name(),
                k -> Timer.builder("herald.send.latency")
                        .tag("worker", worker.name())
                        .description("how long one send through the provider took")
                        .serviceLevelObjectives(LATENCY_BUCKETS)
                        .register(registry));
    }

    /** Registers every meter of the worker, counters at 0, so the first scrape shows all of them. */
    void watch(Worker worker) {
        OUTCOMES.forEach(outcome -> sends(worker, outcome));
        latency(worker);
        openedByPeer(worker.name());
        parked(worker.provider().channel());
        if ("email".equals(worker.provider().channel())) {
            suppressed("email");
        }
        Gauge.builder("herald.worker.healthy", worker, w -> w.isHealthy() ? 1 : 0)
                .tag("worker", worker.name())
                .description("1 when the worker's breaker is closed")
                .register(registry);
        Gauge.builder("herald.worker.in.flight", worker, Worker::inFlight)
                .tag("worker", worker.name())
                .description("sends under way through the provider")
                .register(registry);
        Gauge.builder("herald.worker.paused", worker, w -> w.isPaused() ? 1 : 0)
                .tag("worker", worker.name())
                .description("1 while an operator has paused the provider or its channel")
                .register(registry);
    }

    private Counter parked(String channel) {
        return parked.computeIfAbsent(
                channel,
                c -> Counter.builder("herald.parked")
                        .tag("channel", c)
                        .description("messages of a paused channel put back on their queue")
                        .register(registry));
    }

    private Counter openedByPeer(String worker) {
        return openedByPeer.computeIfAbsent(
                worker,
                w -> Counter.builder("herald.worker.opened.by.peer")
                        .tag("worker", w)
                        .description("breakers opened on another instance's report")
                        .register(registry));
    }

    private Counter suppressed(String channel) {
        return suppressed.computeIfAbsent(
                channel,
                c -> Counter.builder("herald.suppressed")
                        .tag("channel", c)
                        .description("messages not sent because their receiver is on the suppression list")
                        .register(registry));
    }

    /** A message ended suppressed, unsent. */
    void suppressedOne(String channel) {
        suppressed(channel).increment();
    }

    /** Emails not sent (retried later) because the suppression list could not be read. */
    void suppressionUnreadable(int emails) {
        suppressionUnreadable.increment(emails);
    }

    /** An email held back because its recipient domain is paced (per domain would be too many series). */
    void pacedOne(String channel) {
        paced.computeIfAbsent(
                        channel,
                        c -> Counter.builder("herald.paced")
                                .tag("channel", c)
                                .description(
                                        "messages held back on their queue because their recipient domain is paced")
                                .register(registry))
                .increment();
    }

    /** A message of a paused channel, received while other channels were read, put back on its queue. */
    void parkedOne(String channel) {
        parked(channel).increment();
    }

    /** One read of pauses and shared health from the control store. */
    void controlRead(boolean succeeded) {
        (succeeded ? controlReadsOk : controlReadsFailed).increment();
    }

    /** The worker's breaker opened because another pipeline instance reported the provider unhealthy. */
    void openedByPeer(Worker worker) {
        openedByPeer(worker.name()).increment();
    }

    void watchInFlight(Supplier<Number> inFlight) {
        Gauge.builder("herald.in.flight", inFlight)
                .description("messages received and not yet settled")
                .register(registry);
    }

    /**
     * Each queue's dead-letter queue: messages waiting and the oldest one's age (NaN while unknown), as
     * {@code deadLetters} last saw them; it decides how often SQS is asked.
     */
    void watchDeadLetters(List<String> queues, DeadLetterGauge deadLetters) {
        // Held strongly: nothing else keeps deadLetters, and Micrometer's default weak reference
        // would let it be collected, leaving NaN.
        for (String queue : queues) {
            Gauge.builder("herald.dead.letter.messages", deadLetters, d -> d.depth(queue))
                    .tag("queue", queue)
                    .strongReference(true)
                    .description("messages waiting in the queue's dead-letter queue (SQS's estimate)")
                    .register(registry);
            Gauge.builder("herald.dead.letter.oldest.age", deadLetters, d -> d.oldestAgeSeconds(queue))
                    .tag("queue", queue)
                    .baseUnit("seconds")
                    .strongReference(true)
                    .description("age of the oldest message in the queue's dead-letter queue, from a peek at up to 10")
                    .register(registry);
        }
    }

    /** Registers each queue's oldest-received gauge at 0 (nothing received yet). */
    void watchOldestReceived(List<String> queues) {
        queues.forEach(q -> oldestReceived(q, 0));
    }

    /**
     * Age, at the last heartbeat, of the oldest message received from the queue in the interval before it (0 when none
     * was): what the pipeline reports as the queue's oldest message.
     */
    void oldestReceived(String queue, double ageSeconds) {
        oldestAges
                .computeIfAbsent(queue, q -> {
                    AtomicReference<Double> holder = new AtomicReference<>(0.0);
                    Gauge.builder("herald.queue.oldest.received.age", holder, AtomicReference::get)
                            .tag("queue", q)
                            .baseUnit("seconds")
                            .description("age of the oldest message received from the queue in the last "
                                    + "heartbeat interval, at the heartbeat (0 when none was received)")
                            .register(registry);
                    return holder;
                })
                .set(ageSeconds);
    }

    void depth(String queue, long approximateMessages) {
        depths.computeIfAbsent(queue, q -> {
                    AtomicLong holder = new AtomicLong();
                    Gauge.builder("herald.queue.depth", holder, AtomicLong::get)
                            .tag("queue", q)
                            .description("messages waiting in the queue at the pipeline's last look (SQS's estimate)")
                            .register(registry);
                    return holder;
                })
                .set(approximateMessages);
    }

    long depth(String queue) {
        AtomicLong holder = depths.get(queue);
        return holder == null ? -1 : holder.get();
    }
}
