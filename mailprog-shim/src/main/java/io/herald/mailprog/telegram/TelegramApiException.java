package io.herald.mailprog.telegram;

/** A Bot API call that failed; the message never contains the token. */
public final class TelegramApiException extends RuntimeException {

    private final int status;

    public TelegramApiException(int status, String message) {
        super(message);
        this.status = status;
    }

    /** The HTTP status, or 0 when no answer arrived. */
    public int status() {
        return status;
    }
}
