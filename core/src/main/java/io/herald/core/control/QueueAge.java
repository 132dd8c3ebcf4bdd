package io.herald.core.control;

import java.time.Instant;

/**
 * What one pipeline instance saw of one work queue since its previous report: the oldest message it received from it,
 * by SQS's SentTimestamp. Readers take the oldest over every live instance's report and show its age now, because
 * asking a work queue directly would mean receiving its messages, and every receive counts toward the redrive policy's
 * maxReceiveCount.
 *
 * @param instance the reporting pipeline instance (host and process)
 * @param queue the work queue's name
 * @param oldestSentAt SentTimestamp of the oldest message received from the queue since the instance's previous report,
 *     or null when it received none (it was paused, its in-flight limit was reached, or the queue was empty)
 * @param updatedAt when the instance made the report
 */
public record QueueAge(String instance, String queue, Instant oldestSentAt, Instant updatedAt) {}
