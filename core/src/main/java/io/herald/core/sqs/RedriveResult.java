package io.herald.core.sqs;

/**
 * What a redrive did, so far or in the end.
 *
 * @param examined dead-lettered messages looked at
 * @param matched of those, the ones the filter selected
 * @param moved sent back to their queue and deleted from the dead-letter queue
 * @param failed selected but not moved: SQS refused the send; they stay in the dead-letter queue
 * @param doubled sent back, but their delete from the dead-letter queue failed: they are in both
 * @param returned selected, but already moved in this run and dead-lettered again meanwhile: left there
 * @param dryRun nothing was moved; {@code matched} is what a real run would move
 */
public record RedriveResult(
        int examined, int matched, int moved, int failed, int doubled, int returned, boolean dryRun) {}
