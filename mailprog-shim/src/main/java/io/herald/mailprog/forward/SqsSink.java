package io.herald.mailprog.forward;

import io.herald.core.config.ConfigException;
import io.herald.core.config.HeraldConfig;
import io.herald.core.envelope.Envelope;
import io.herald.core.sqs.EnqueueResult;
import io.herald.core.sqs.QueueRef;
import io.herald.core.sqs.SqsProducer;
import io.herald.core.sqs.SqsQueues;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Sends envelopes to the configured queues, spreading calls over them. The queues are looked up on first use and again
 * after a failure to do so: the forwarder runs on the Slurm controller and must start (and keep spooling) while SQS is
 * unreachable.
 */
public final class SqsSink implements EnvelopeSink {

    private static final Logger log = LoggerFactory.getLogger(SqsSink.class);

    private final SqsClient sqs;
    private final HeraldConfig.Sqs config;
    private final SqsProducer producer;
    private List<QueueRef> queues;
    private int next;

    public SqsSink(SqsClient sqs, HeraldConfig.Sqs config, SqsProducer producer) {
        this.sqs = sqs;
        this.config = config;
        this.producer = producer;
    }

    @Override
    public synchronized List<EnqueueResult> send(List<Envelope> envelopes) {
        if (envelopes.isEmpty()) {
            return List.of();
        }
        if (queues == null) {
            try {
                queues = SqsQueues.resolve(sqs, config);
            } catch (ConfigException e) {
                // The forwarder logs it once per change of state; not here on every attempt.
                return notEnqueued(envelopes, "QueueDoesNotExist", String.join("; ", e.problems()));
            } catch (AwsServiceException e) {
                // Reached but refused (AccessDenied, throttling): say which, without SQS's own text.
                String code = e.awsErrorDetails() == null
                        ? "SqsError"
                        : e.awsErrorDetails().errorCode();
                return notEnqueued(
                        envelopes,
                        code,
                        "SQS refused to look up the queues: HTTP " + e.statusCode() + " (" + code + ")");
            } catch (SdkException e) {
                return notEnqueued(
                        envelopes, EnqueueResult.SQS_UNREACHABLE, "SQS could not be reached: " + e.getMessage());
            }
        }
        QueueRef queue = queues.get(Math.floorMod(next++, queues.size()));
        List<EnqueueResult> results = producer.send(queue.url(), envelopes);
        if (results.stream().anyMatch(SqsSink::queueGone)) {
            // Deleted (a stack update, a typo fixed by re-creating it): look the queues up afresh next time.
            log.debug(
                    "queue {} does not exist (any more); looking the queues up again on the next attempt",
                    queue.name());
            queues = null;
        }
        return results;
    }

    private static boolean queueGone(EnqueueResult r) {
        return r instanceof EnqueueResult.NotEnqueued no
                && no.code() != null
                && (no.code().endsWith("QueueDoesNotExist") || no.code().endsWith("NonExistentQueue"));
    }

    private static List<EnqueueResult> notEnqueued(List<Envelope> envelopes, String code, String reason) {
        return envelopes.stream()
                .<EnqueueResult>map(e -> new EnqueueResult.NotEnqueued(e.id(), code, reason, true))
                .toList();
    }
}
