package io.herald.core.envelope;

import java.util.Locale;

/** An envelope whose JSON is larger than SQS accepts. */
public final class EnvelopeTooLargeException extends RuntimeException {

    private final int actualBytes;
    private final int limitBytes;

    public EnvelopeTooLargeException(String id, int actualBytes, int limitBytes) {
        super(String.format(
                Locale.ROOT,
                "message %s is %,d bytes as JSON; SQS accepts at most %,d bytes (1 MiB) per message: "
                        + "shorten its text or HTML",
                id,
                actualBytes,
                limitBytes));
        this.actualBytes = actualBytes;
        this.limitBytes = limitBytes;
    }

    public int actualBytes() {
        return actualBytes;
    }

    public int limitBytes() {
        return limitBytes;
    }
}
