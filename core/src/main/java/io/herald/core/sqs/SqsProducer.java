package io.herald.core.sqs;

import io.herald.core.envelope.Envelope;
import io.herald.core.envelope.EnvelopeCodec;
import io.herald.core.envelope.EnvelopeTooLargeException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResultEntry;

/**
 * Puts envelopes on an SQS queue with as few requests as SQS allows: SendMessageBatch with up to 10 entries and at most
 * 1 MiB per call. Every envelope gets its own {@link EnqueueResult}, in the order given, so a caller can tell exactly
 * which ones to report or retry; nothing is dropped silently, not even when the whole request fails.
 */
public final class SqsProducer {

    /** SendMessageBatch takes at most 10 entries. */
    public static final int MAX_BATCH_ENTRIES = 10;
    /** ... whose bodies together are at most 1 MiB. */
    public static final int MAX_BATCH_BYTES = EnvelopeCodec.SQS_MAX_MESSAGE_BYTES;

    private final SqsClient sqs;
    private final EnvelopeCodec codec;

    public SqsProducer(SqsClient sqs, EnvelopeCodec codec) {
        this.sqs = sqs;
        this.codec = codec;
    }

    public EnqueueResult send(String queueUrl, Envelope envelope) {
        return send(queueUrl, List.of(envelope)).getFirst();
    }

    /** @return one result per envelope, in the same order */
    public List<EnqueueResult> send(String queueUrl, List<Envelope> envelopes) {
        EnqueueResult[] results = new EnqueueResult[envelopes.size()];
        List<Integer> batch = new ArrayList<>(MAX_BATCH_ENTRIES);
        List<String> bodies = new ArrayList<>(MAX_BATCH_ENTRIES);
        int batchBytes = 0;
        for (int i = 0; i < envelopes.size(); i++) {
            Envelope envelope = envelopes.get(i);
            String body;
            try {
                body = codec.encode(envelope);
            } catch (EnvelopeTooLargeException e) {
                results[i] = new EnqueueResult.NotEnqueued(
                        envelope.id(), EnqueueResult.MESSAGE_TOO_LARGE, e.getMessage(), false);
                continue;
            }
            int bytes = EnvelopeCodec.utf8(body).length;
            if (batch.size() == MAX_BATCH_ENTRIES || batchBytes + bytes > MAX_BATCH_BYTES) {
                sendBatch(queueUrl, envelopes, batch, bodies, results);
                batch.clear();
                bodies.clear();
                batchBytes = 0;
            }
            batch.add(i);
            bodies.add(body);
            batchBytes += bytes;
        }
        if (!batch.isEmpty()) {
            sendBatch(queueUrl, envelopes, batch, bodies, results);
        }
        return Arrays.asList(results);
    }

    private void sendBatch(
            String queueUrl,
            List<Envelope> envelopes,
            List<Integer> batch,
            List<String> bodies,
            EnqueueResult[] results) {
        List<SendMessageBatchRequestEntry> entries = new ArrayList<>(batch.size());
        for (int k = 0; k < batch.size(); k++) {
            // Entry ids only need to be unique within one request; the index maps answers back.
            entries.add(SendMessageBatchRequestEntry.builder()
                    .id(Integer.toString(k))
                    .messageBody(bodies.get(k))
                    .build());
        }
        SendMessageBatchResponse response;
        try {
            response = sqs.sendMessageBatch(b -> b.queueUrl(queueUrl).entries(entries));
        } catch (SdkException e) {
            String code = e instanceof AwsServiceException ase && ase.awsErrorDetails() != null
                    ? ase.awsErrorDetails().errorCode()
                    : EnqueueResult.SQS_UNREACHABLE;
            for (int index : batch) {
                results[index] =
                        new EnqueueResult.NotEnqueued(envelopes.get(index).id(), code, describe(e), retryable(e));
            }
            return;
        }
        for (SendMessageBatchResultEntry ok : response.successful()) {
            int index = batch.get(Integer.parseInt(ok.id()));
            results[index] = new EnqueueResult.Enqueued(envelopes.get(index).id(), ok.messageId());
        }
        for (BatchResultErrorEntry failed : response.failed()) {
            int index = batch.get(Integer.parseInt(failed.id()));
            results[index] = new EnqueueResult.NotEnqueued(
                    envelopes.get(index).id(),
                    failed.code(),
                    "SQS refused the entry (" + failed.code() + ")",
                    !Boolean.TRUE.equals(failed.senderFault()));
        }
        for (int index : batch) {
            if (results[index] == null) {
                // SQS must answer every entry; if it did not, say so rather than assume success.
                results[index] = new EnqueueResult.NotEnqueued(
                        envelopes.get(index).id(), "NoAnswer", "SQS did not report on this entry", true);
            }
        }
    }

    /** A refused request (4xx) fails again; an unreachable, throttled or failing SQS may recover. */
    private static boolean retryable(SdkException e) {
        if (e instanceof AwsServiceException ase) {
            return ase.statusCode() >= 500 || ase.isThrottlingException();
        }
        return true;
    }

    /**
     * Says what failed without quoting SQS's own message: SQS-compatible servers echo the request, body included, in
     * some error messages (ElasticMQ does for requests it cannot parse), and a reason ends up in logs and API answers.
     * A client-side failure's message is about the connection, not the content.
     */
    private static String describe(SdkException e) {
        if (e instanceof AwsServiceException ase) {
            String code = ase.awsErrorDetails() == null
                    ? "unknown"
                    : ase.awsErrorDetails().errorCode();
            return "SQS answered HTTP " + ase.statusCode() + " (" + code + ")";
        }
        String message = e.getMessage();
        return "SQS could not be reached: " + (message == null ? e.getClass().getSimpleName() : message);
    }
}
