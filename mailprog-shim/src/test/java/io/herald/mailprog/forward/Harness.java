package io.herald.mailprog.forward;

import io.herald.core.config.HeraldConfig;
import io.herald.core.config.MailprogConfig;
import io.herald.core.envelope.Envelope;
import io.herald.core.envelope.EnvelopeCodec;
import io.herald.core.sqs.QueueRef;
import io.herald.core.sqs.SqsClients;
import io.herald.core.sqs.SqsProducer;
import io.herald.core.sqs.SqsQueues;
import io.herald.mailprog.Fixtures;
import io.herald.mailprog.Mailprog;
import io.herald.mailprog.Shim;
import io.herald.mailprog.slurm.Accounting;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The whole Slurm path on one machine: herald-mailprog (dash) → spool → forwarder (fake sacct) → SQS at
 * {@code endpoint} (an ElasticMQ on 127.0.0.1), and a reader to see what arrived.
 */
final class Harness implements AutoCloseable {

    final Path root;
    final Shim shim;
    final Path sacctDir;
    final HeraldConfig config;
    final SqsClient sqs;

    Harness(Path root, String endpoint, java.util.function.UnaryOperator<MailprogConfig> tweak)
            throws IOException, InterruptedException {
        this.root = root;
        this.shim = Shim.install(Files.createDirectories(root.resolve("bin")), root.resolve("spool"));
        this.sacctDir = Files.createDirectories(root.resolve("sacct"));
        Path sacct = Fixtures.fakeSacct(sacctDir);
        HeraldConfig defaults = HeraldConfig.defaults();
        MailprogConfig m = defaults.mailprog().toBuilder()
                .spoolDir(shim.spool().toString())
                .sacct(sacct.toString())
                .sacctAttempts(3)
                .sacctDelay(Duration.ofMillis(20))
                .mailDomain("example.org")
                .retryMin(Duration.ofMillis(50))
                .retryMax(Duration.ofMillis(400))
                .build();
        this.config = defaults.withSqs(new HeraldConfig.Sqs(
                        endpoint, "us-east-1", List.of("slurm-test"), "-dlq", 5, Duration.ofSeconds(30), 10))
                .withMailprog(tweak.apply(m));
        this.sqs = SqsClients.create(config.sqs());
    }

    List<QueueRef> provision() {
        return SqsQueues.provision(sqs, config.sqs());
    }

    Forwarder forwarder(Clock clock) {
        return Mailprog.forwarder(config, sink(), clock);
    }

    /** With job statistics from {@code accounting} instead of the fake sacct. */
    Forwarder forwarder(Clock clock, Accounting accounting) {
        return Mailprog.forwarder(config, sink(), clock, accounting);
    }

    /** Reading users' preferences from {@code preferences} (mailprog.preferences.enabled must be on). */
    Forwarder forwarder(Clock clock, io.herald.core.preferences.PreferencesStore preferences) {
        return Mailprog.forwarder(config, sink(), clock, java.util.Optional.of(preferences));
    }

    Forwarder forwarder(Clock clock, EnvelopeSink sink) {
        return Mailprog.forwarder(config, sink, clock);
    }

    EnvelopeSink sink() {
        return new SqsSink(sqs, config.sqs(), new SqsProducer(sqs, new EnvelopeCodec()));
    }

    /** Everything on the queue now, deleted as read. */
    List<Envelope> drain() {
        String url = sqs.getQueueUrl(b -> b.queueName("slurm-test")).queueUrl();
        EnvelopeCodec codec = new EnvelopeCodec();
        List<Envelope> out = new ArrayList<>();
        while (true) {
            List<Message> batch = sqs.receiveMessage(
                            b -> b.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(0))
                    .messages();
            if (batch.isEmpty()) {
                return out;
            }
            for (Message m : batch) {
                out.add(codec.decode(m.body()));
                sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(m.receiptHandle()));
            }
        }
    }

    List<Path> failed() throws IOException {
        Path failed = shim.spool().resolve("failed");
        if (!Files.exists(failed)) {
            return List.of();
        }
        try (var files = Files.list(failed)) {
            return files.filter(f -> !f.toString().endsWith(".reason")).sorted().toList();
        }
    }

    @Override
    public void close() {
        sqs.close();
    }
}
