package io.herald.core.envelope;

/**
 * A message body that is not an envelope this Herald can deliver. The message names what is wrong and is short enough
 * to store as a dead-letter reason; at most it quotes the one token the parser stopped at, never the whole body.
 */
public final class MalformedEnvelopeException extends RuntimeException {

    public MalformedEnvelopeException(String reason) {
        super(reason);
    }
}
