package io.herald.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.herald.core.config.HeraldConfig;
import io.herald.core.envelope.Content;
import io.herald.core.envelope.Envelope;
import io.herald.core.envelope.EnvelopeCodec;
import io.herald.core.envelope.Origin;
import io.herald.core.sqs.QueueRef;
import io.herald.core.sqs.SqsClients;
import io.herald.core.sqs.SqsProducer;
import io.herald.core.sqs.SqsQueues;
import io.herald.embedded.EmbeddedSqs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Crash drills with a real child JVM running the pipeline ({@link PipelineProcess}): killed with SIGKILL mid-send, and
 * stopped with SIGTERM.
 */
class PipelineCrashTest {

    private static EmbeddedSqs embedded;
    private static SqsClient sqs;

    @TempDir
    Path dir;

    private final List<Process> children = new ArrayList<>();

    @BeforeAll
    static void startSqs() {
        embedded = EmbeddedSqs.start(0);
        sqs = SqsClients.create(config("unused", 30));
    }

    @AfterAll
    static void stopSqs() {
        sqs.close();
        embedded.close();
    }

    @AfterEach
    void killChildren() {
        children.forEach(Process::destroyForcibly);
    }

    private static HeraldConfig.Sqs config(String queue, int visibilitySeconds) {
        HeraldConfig.Sqs d = HeraldConfig.defaults().sqs();
        return new HeraldConfig.Sqs(
                embedded.endpoint().toString(),
                d.region(),
                List.of(queue),
                d.deadLetterSuffix(),
                d.maxReceiveCount(),
                Duration.ofSeconds(visibilitySeconds),
                d.maxConnections());
    }

    private Process startChild(String queue, int visibilitySeconds, long sendMillis, long deadlineMillis)
            throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        Path log = dir.resolve("child-" + children.size() + ".log");
        // C1 only and the serial collector: a child that starts in seconds, not half a minute, on a machine
        // whose cores other builds keep busy; the drill measures no speed.
        Process child = new ProcessBuilder(
                        java,
                        "-XX:TieredStopAtLevel=1",
                        "-XX:+UseSerialGC",
                        "-cp",
                        System.getProperty("java.class.path"),
                        PipelineProcess.class.getName(),
                        embedded.endpoint().toString(),
                        queue,
                        Integer.toString(visibilitySeconds),
                        dir.resolve("started").toString(),
                        dir.resolve("delivered").toString(),
                        Long.toString(sendMillis),
                        Long.toString(deadlineMillis))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        children.add(child);
        // Ready is the child's "ready" line; the bound only stops a hang (a dead child ends the wait at once).
        await("child pipeline prints ready")
                .atMost(Duration.ofSeconds(180))
                .until(() -> lines(log.getFileName().toString()).contains("ready") || !child.isAlive());
        assertThat(child.isAlive())
                .as("child pipeline started: %s", lines(log.getFileName().toString()))
                .isTrue();
        return child;
    }

    private List<Envelope> enqueue(QueueRef queue, int n) {
        List<Envelope> envelopes = IntStream.range(0, n)
                .mapToObj(i -> Envelope.create(
                        "email",
                        "to" + i + "@example.org",
                        Content.of("Subject", "Body"),
                        Origin.api("test"),
                        Instant.now()))
                .toList();
        new SqsProducer(sqs, new EnvelopeCodec()).send(queue.url(), envelopes);
        return envelopes;
    }

    private List<String> lines(String file) {
        try {
            Path path = dir.resolve(file);
            return Files.exists(path) ? Files.readAllLines(path) : List.of();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aPipelineKilledMidSendLosesNothingAfterRestart() throws Exception {
        QueueRef queue = SqsQueues.provision(sqs, config("crash-kill", 3)).getFirst();
        List<Envelope> sent = enqueue(queue, 200);
        Process first = startChild(queue.name(), 3, 20, 1000);
        await().atMost(Duration.ofSeconds(30)).until(() -> lines("delivered").size() >= 40);

        first.destroyForcibly();
        assertThat(first.waitFor(10, TimeUnit.SECONDS)).isTrue();
        int deliveredBeforeKill = lines("delivered").size();
        startChild(queue.name(), 3, 20, 1000);

        Set<String> wanted = new HashSet<>(sent.stream().map(Envelope::id).toList());
        await().atMost(Duration.ofSeconds(60)).until(() -> new HashSet<>(lines("delivered")).containsAll(wanted));
        List<String> delivered = lines("delivered");
        int duplicates = delivered.size() - new HashSet<>(delivered).size();
        // Duplicates are the sends that completed but whose delete the kill cut off. A message
        // counts as in flight until SQS confirmed its delete, so they are at most what one
        // process may hold: maxInFlight, 100 in PipelineProcess.
        assertThat(duplicates)
                .as("duplicates (delivered before kill: %d)", deliveredBeforeKill)
                .isLessThanOrEqualTo(100);
        System.out.printf(
                "kill -9 drill: %d sent, %d delivered before the kill, %d deliveries in all, %d duplicates%n",
                sent.size(), deliveredBeforeKill, delivered.size(), duplicates);
        await().atMost(Duration.ofSeconds(30)).until(() -> visibleAndInFlight(queue) == 0);
    }

    @Test
    void sigtermReleasesMessagesInFlightAtOnce() throws Exception {
        // A visibility timeout of 15 minutes: messages visible again within the wait below were released by
        // the child, not set free by SQS, however slow the machine. No elapsed time is asserted.
        QueueRef queue = SqsQueues.provision(sqs, config("crash-term", 900)).getFirst();
        enqueue(queue, 5);
        Process child = startChild(queue.name(), 900, 600_000, 500);
        await().atMost(Duration.ofSeconds(60)).until(() -> lines("started").size() == 5);

        child.destroy();
        assertThat(child.waitFor(120, TimeUnit.SECONDS)).isTrue();

        // Released with visibility 0, not left hidden for the visibility timeout.
        try {
            await().atMost(Duration.ofSeconds(120)).until(() -> visible(queue) == 5);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(
                    "visible: " + visible(queue) + ", visible and in flight: " + visibleAndInFlight(queue)
                            + "; child's log:\n"
                            + String.join("\n", lines("child-0.log")),
                    e);
        }
        assertThat(lines("delivered")).isEmpty();
    }

    private static int visible(QueueRef queue) {
        return Integer.parseInt(sqs.getQueueAttributes(
                        b -> b.queueUrl(queue.url()).attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                .attributes()
                .get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES));
    }

    private static int visibleAndInFlight(QueueRef queue) {
        var attributes = sqs.getQueueAttributes(b -> b.queueUrl(queue.url())
                        .attributeNames(
                                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
                .attributes();
        return Integer.parseInt(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                + Integer.parseInt(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
    }
}
