package io.herald.cli;

/** A service could not start for a reason the user can fix; the message says how. */
final class StartupException extends RuntimeException {

    StartupException(String message) {
        super(message);
    }
}
