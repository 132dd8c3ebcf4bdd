package io.herald.mailprog.message;

import io.herald.core.envelope.Content;
import io.herald.core.envelope.SlurmJob;

/** What every receiver of one job event gets: the structured content and the job context the envelope carries. */
public record JobMessage(Content content, SlurmJob job) {}
