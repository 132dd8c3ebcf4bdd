package io.herald.pipeline.provider;

import io.herald.core.config.HeraldConfig;
import io.herald.core.feedback.FeedbackSink;
import io.micrometer.core.instrument.MeterRegistry;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * A provider's feedback intake the pipeline runs beside its workers (e.g. SES's events from an SQS queue), offered by
 * the provider's {@link ProviderFactory#feedbackIntake}: the pipeline starts whatever intakes the providers offer and
 * knows none by name.
 */
public interface FeedbackIntake extends AutoCloseable {

    /** Starts reading; returns at once. */
    void start();

    /** What it reads, for the start-up line, e.g. {@code SES feedback from herald-ses-feedback}. */
    String describe();

    /** Stops reading and waits for what is in hand; never throws. */
    @Override
    void close();

    /**
     * What an intake may need to open.
     *
     * @param sqs the pipeline's SQS client ({@code sqs.endpoint}, {@code sqs.region})
     * @param config the whole configuration (e.g. {@code sqs.deadLetterSuffix}, {@code pipeline.receiveWait})
     * @param sink where the intake hands the events it verified and parsed
     * @param meters the pipeline's registry
     */
    record Context(SqsClient sqs, HeraldConfig config, FeedbackSink sink, MeterRegistry meters) {}
}
