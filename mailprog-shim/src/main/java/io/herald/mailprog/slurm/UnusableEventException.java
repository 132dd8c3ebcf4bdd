package io.herald.mailprog.slurm;

/** A spool record that names no job, no mail or nobody to send to; the message is the reason kept in failed/. */
public final class UnusableEventException extends RuntimeException {

    public UnusableEventException(String reason) {
        super(reason);
    }
}
