package io.herald.mailprog.spool;

/** A spool file that is not a complete record; the message is the reason written beside it in failed/. */
public final class UnreadableRecordException extends RuntimeException {

    public UnreadableRecordException(String reason) {
        super(reason);
    }
}
