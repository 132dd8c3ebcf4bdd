package io.herald.pipeline;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The pipeline's meters, under names an operator can graph: sends by worker and outcome, send
 * latency, breaker state, pauses, queue depth, messages in flight, messages parked because their
 * channel is paused, control store reads, breakers opened on another instance's report, and SQS
 * requests by action (counted by an interceptor on the SQS client, so they are the requests
 * actually made, retries included).
 */
public final class PipelineMetrics {

    private final MeterRegistry registry;
    private final Map<String, AtomicLong> depths = new ConcurrentHashMap<>();
    /** Meters looked up once: registering on every send would search the registry each time. */
    private final Map<String, Counter> sends = new ConcurrentHashMap<>();
    private final Map<String, Timer> latencies = new ConcurrentHashMap<>();

    public PipelineMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** Give this to {@code SqsClients.create} for the client the pipeline uses. */
    public ExecutionInterceptor sqsRequestCounter() {
        return new ExecutionInterceptor() {
            @Override
            public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
                String action = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
                Counter.builder("herald.sqs.requests").tag("action", action == null ? "unknown" : action)
                        .register(registry).increment();
            }
        };
    }

    /** SQS requests made so far, by action; for benchmarks and tests. */
    public Map<String, Double> sqsRequests() {
        Map<String, Double> counts = new java.util.TreeMap<>();
        registry.find("herald.sqs.requests").counters()
                .forEach(c -> counts.put(c.getId().getTag("action"), c.count()));
        return counts;
    }

    void sent(Worker worker, String outcome, Duration took) {
        sends.computeIfAbsent(worker.name() + "/" + outcome, k -> Counter.builder("herald.sends")
                .tag("worker", worker.name()).tag("channel", worker.provider().channel()).tag("outcome", outcome)
                .register(registry)).increment();
        latencies.computeIfAbsent(worker.name(), k -> Timer.builder("herald.send.latency").tag("worker", worker.name())
                .publishPercentileHistogram().register(registry)).record(took);
    }

    void watch(Worker worker) {
        Gauge.builder("herald.worker.healthy", worker, w -> w.isHealthy() ? 1 : 0).tag("worker", worker.name())
                .description("1 when the worker's breaker is closed").register(registry);
        Gauge.builder("herald.worker.in.flight", worker, Worker::inFlight).tag("worker", worker.name()).register(registry);
        Gauge.builder("herald.worker.paused", worker, w -> w.isPaused() ? 1 : 0).tag("worker", worker.name())
                .description("1 while an operator has paused the provider or its channel").register(registry);
    }

    /** A message of a paused channel, received while other channels were read, put back on its queue. */
    void parked(String channel) {
        Counter.builder("herald.parked").tag("channel", channel)
                .description("messages of a paused channel put back on their queue").register(registry).increment();
    }

    /** One read of pauses and shared health from the control store. */
    void controlRead(boolean succeeded) {
        Counter.builder("herald.control.reads").tag("outcome", succeeded ? "ok" : "failed")
                .description("reads of pauses and shared health").register(registry).increment();
    }

    /** The worker's breaker opened because another pipeline instance reported the provider unhealthy. */
    void openedByPeer(Worker worker) {
        Counter.builder("herald.worker.opened.by.peer").tag("worker", worker.name())
                .description("breakers opened on another instance's report").register(registry).increment();
    }

    void watchInFlight(Supplier<Number> inFlight) {
        Gauge.builder("herald.in.flight", inFlight).description("messages received and not yet settled").register(registry);
    }

    void depth(String queue, long approximateMessages) {
        depths.computeIfAbsent(queue, q -> {
            AtomicLong holder = new AtomicLong();
            Gauge.builder("herald.queue.depth", holder, AtomicLong::get).tag("queue", q).register(registry);
            return holder;
        }).set(approximateMessages);
    }

    long depth(String queue) {
        AtomicLong holder = depths.get(queue);
        return holder == null ? -1 : holder.get();
    }
}
